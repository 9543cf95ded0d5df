package io.lpu4j.weights;

/**
 * OCP FP8 E5M2: 1 sign bit, 5 exponent bits (bias 15), 2 mantissa bits, IEEE-like (infinities and
 * NaNs). It is exactly the upper byte of an IEEE binary16, which is how it is decoded.
 */
public final class Fp8E5M2 {
    /** Largest finite magnitude. */
    public static final float MAX = 57344f;

    private Fp8E5M2() {
    }

    /** The exact value of an E5M2 code. */
    public static float toFloat(byte code) {
        return Float.float16ToFloat((short) ((code & 0xFF) << 8));
    }
}
