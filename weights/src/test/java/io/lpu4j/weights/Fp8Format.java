package io.lpu4j.weights;

import java.util.function.Function;

/**
 * The two OCP FP8 formats as the codec tests see them: the codec under test, plus the facts of the
 * format stated independently of it (field widths, bias, special codes from the OFP8 tables).
 */
enum Fp8Format {
    E4M3(Fp8E4M3::toFloat, Fp8E4M3::fromFloat, 3, 7, 448f, 0x7E, 0x7F, false),
    E5M2(Fp8E5M2::toFloat, Fp8E5M2::fromFloat, 2, 15, 57344f, 0x7B, 0x7F, true);

    private final Function<Byte, Float> decoder;
    private final Function<Float, Byte> encoder;
    final int mantissaBits;
    final int bias;
    final float max;
    final int maxCode;
    final int nanCode;
    final boolean hasInfinity;

    Fp8Format(Function<Byte, Float> decoder, Function<Float, Byte> encoder, int mantissaBits, int bias, float max,
              int maxCode, int nanCode, boolean hasInfinity) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.mantissaBits = mantissaBits;
        this.bias = bias;
        this.max = max;
        this.maxCode = maxCode;
        this.nanCode = nanCode;
        this.hasInfinity = hasInfinity;
    }

    /** The codec's decoding of {@code code} (0..255). */
    float decode(int code) {
        return decoder.apply((byte) code);
    }

    /** The codec's encoding of {@code value}, as 0..255. */
    int encode(float value) {
        return encoder.apply(value) & 0xFF;
    }

    /** Smallest positive subnormal, 2^(1 - bias - mantissaBits). */
    float minSubnormal() {
        return Math.scalb(1f, 1 - bias - mantissaBits);
    }

    /** True for the codes the format reserves for NaN. */
    boolean isNanCode(int code) {
        int magnitude = code & 0x7F;
        return hasInfinity ? magnitude > 0x7C : magnitude == 0x7F;
    }

    boolean isInfinityCode(int code) {
        return hasInfinity && (code & 0x7F) == 0x7C;
    }

    /**
     * The value of a finite code straight from the definition, in double: exponent field 0 holds
     * m × 2^(1-bias-M), the others (1 + m/2^M) × 2^(e-bias).
     */
    double exactValue(int code) {
        int mantissa = code & ((1 << mantissaBits) - 1);
        int exponent = (code & 0x7F) >>> mantissaBits;
        double magnitude = exponent == 0
                ? Math.scalb((double) mantissa, 1 - bias - mantissaBits)
                : Math.scalb(1 + Math.scalb((double) mantissa, -mantissaBits), exponent - bias);
        return (code & 0x80) != 0 ? -magnitude : magnitude;
    }
}
