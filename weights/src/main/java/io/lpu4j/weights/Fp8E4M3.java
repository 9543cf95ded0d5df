package io.lpu4j.weights;

/**
 * OCP FP8 E4M3 ("E4M3FN"): 1 sign bit, 4 exponent bits (bias 7), 3 mantissa bits. No infinities;
 * {@code S.1111.111} is NaN, so the largest finite magnitude is 448 = 1.75 × 2^8. Exponent field 0
 * holds the subnormals m × 2^-9.
 *
 * <p>Encoding ({@link #fromFloat}) follows the conversion rules of the OCP 8-bit Floating Point
 * Specification (OFP8) rev. 1.0: round to nearest, ties to even, then apply the overflow rule of its
 * <em>saturating</em> mode, in which a result beyond the largest normal becomes ±MaxNormal and so do
 * ±∞, while NaN stays NaN (the same rule as CUDA's {@code __NV_SATFINITE} and ONNX's {@code Cast} with
 * {@code saturate=1}). The non-saturating mode would turn every overflow, and every ±∞, into NaN in a
 * format that has no infinity; a single NaN weight poisons every dot product it enters, so for
 * weights saturation is the only usable mode. The quantizer never relies on it anyway (its scale maps
 * each group's largest magnitude to 448), but a rounding step above 448 must not become NaN.
 */
public final class Fp8E4M3 {
    /** Largest finite magnitude. */
    public static final float MAX = 448f;
    /** Code of +448 ({@code 0.1111.110}). */
    public static final byte MAX_CODE = 0x7E;
    /** The NaN code {@link #fromFloat} produces for any NaN ({@code 0.1111.111}; 0xFF is the other NaN). */
    public static final byte NAN_CODE = 0x7F;

    private static final int MAX_BITS = Float.floatToRawIntBits(MAX);

    private static final float[] DECODED = new float[256];

    static {
        for (int code = 0; code < 256; code++) {
            DECODED[code] = decodeBits(code);
        }
    }

    private Fp8E4M3() {
    }

    /** The exact value of an E4M3 code. */
    public static float toFloat(byte code) {
        return DECODED[code & 0xFF];
    }

    /**
     * The E4M3 code nearest to {@code value}, ties to the code with an even mantissa (OFP8 saturating
     * conversion):
     * <ul>
     *   <li>finite magnitudes round to nearest-even; a result beyond 448 (anything above the tie at
     *       464 would round to 480, the NaN slot) saturates to ±448, so every |value| ≥ 448 gives ±448;</li>
     *   <li>±∞ also give ±448 (saturating mode clamps infinities to the largest finite value; E4M3
     *       has no infinity to keep);</li>
     *   <li>any NaN gives {@link #NAN_CODE} (0x7F), whatever its sign or payload;</li>
     *   <li>the sign is kept, also for results that round to zero: −0 and tiny negatives give 0x80.</li>
     * </ul>
     * Bit manipulation with one float addition, no search: a few nanoseconds per value, fast enough
     * to quantize gigabytes.
     */
    public static byte fromFloat(float value) {
        return Fp8Rounding.saturatingNearestEven(value, 3, 7, MAX_BITS, MAX_CODE, NAN_CODE);
    }

    private static float decodeBits(int code) {
        int exponent = (code >>> 3) & 0xF;
        int mantissa = code & 0x7;
        float sign = (code & 0x80) != 0 ? -1f : 1f;
        if (exponent == 0xF && mantissa == 0x7) {
            return Float.NaN;
        }
        if (exponent == 0) {
            return sign * Math.scalb((float) mantissa, -9);
        }
        return sign * Math.scalb(1f + mantissa / 8f, exponent - 7);
    }
}
