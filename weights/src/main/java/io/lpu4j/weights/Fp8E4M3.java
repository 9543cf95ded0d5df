package io.lpu4j.weights;

/**
 * OCP FP8 E4M3 ("E4M3FN"): 1 sign bit, 4 exponent bits (bias 7), 3 mantissa bits. No infinities;
 * {@code S.1111.111} is NaN, so the largest finite magnitude is 448 = 1.75 × 2^8. Exponent field 0
 * holds the subnormals m × 2^-9.
 */
public final class Fp8E4M3 {
    /** Largest finite magnitude. */
    public static final float MAX = 448f;

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
