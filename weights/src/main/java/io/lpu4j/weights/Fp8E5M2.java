package io.lpu4j.weights;

/**
 * OCP FP8 E5M2: 1 sign bit, 5 exponent bits (bias 15), 2 mantissa bits, IEEE-like (infinities and
 * NaNs). It is exactly the upper byte of an IEEE binary16, which is how it is decoded.
 *
 * <p>Encoding ({@link #fromFloat}) follows the OFP8 rev. 1.0 conversion rules in the same
 * <em>saturating</em> mode as {@link Fp8E4M3}: round to nearest, ties to even; a result beyond 57344,
 * and ±∞ itself, becomes ±57344; NaN stays NaN. So {@code fromFloat} never produces the ±∞ codes
 * (0x7C, 0xFC), which still decode to ±∞: E5M2 is the one place where decode-then-encode is not the
 * identity, and deliberately so, to keep one overflow rule for both formats.
 */
public final class Fp8E5M2 {
    /** Largest finite magnitude. */
    public static final float MAX = 57344f;
    /** Code of +57344 ({@code 0.11110.11}). */
    public static final byte MAX_CODE = 0x7B;
    /** The NaN code {@link #fromFloat} produces for any NaN ({@code 0.11111.11}, a quiet NaN). */
    public static final byte NAN_CODE = 0x7F;

    private static final int MAX_BITS = Float.floatToRawIntBits(MAX);

    private Fp8E5M2() {
    }

    /** The exact value of an E5M2 code. */
    public static float toFloat(byte code) {
        return Float.float16ToFloat((short) ((code & 0xFF) << 8));
    }

    /**
     * The E5M2 code nearest to {@code value}, ties to the code with an even mantissa (OFP8 saturating
     * conversion): finite magnitudes round to nearest-even and anything that would round past 57344
     * (everything from the tie at 61440 up, which rounds to 65536 = ∞) saturates to ±57344, so every
     * |value| ≥ 57344 gives ±57344; ±∞ give ±57344 as well; any NaN gives {@link #NAN_CODE}; the sign
     * is kept, so −0 gives 0x80. Bit manipulation, no search.
     */
    public static byte fromFloat(float value) {
        return Fp8Rounding.saturatingNearestEven(value, 2, 15, MAX_BITS, MAX_CODE, NAN_CODE);
    }
}
