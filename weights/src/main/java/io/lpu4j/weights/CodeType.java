package io.lpu4j.weights;

/**
 * How each quantized weight is stored: one byte per weight either way. A group's scale maps its
 * largest magnitude onto {@link #maxCodeValue()}; a weight is stored as the code of weight / scale.
 */
public enum CodeType {
    /** OCP FP8 E4M3 codes ({@link Fp8E4M3}): saturating round to nearest even, largest magnitude 448. */
    FP8_E4M3(Fp8E4M3.MAX),
    /**
     * Signed 8-bit integers in the symmetric range −127..127 (−128 is never produced, so negating a
     * code never overflows and zero sits exactly in the middle).
     */
    INT8(127f);

    private final float maxCodeValue;

    CodeType(float maxCodeValue) {
        this.maxCodeValue = maxCodeValue;
    }

    /** The value of the largest code: 448 for FP8 E4M3, 127 for INT8. */
    public float maxCodeValue() {
        return maxCodeValue;
    }

    /**
     * The code for an already scaled value. FP8: {@link Fp8E4M3#fromFloat}. INT8:
     * {@code Math.rint} (round half to even, as numpy and torch round) clamped to −127..127.
     */
    public byte encode(float scaled) {
        return switch (this) {
            case FP8_E4M3 -> Fp8E4M3.fromFloat(scaled);
            case INT8 -> (byte) Math.clamp((long) Math.rint(scaled), -127, 127);
        };
    }

    /** The exact value of a code (before scaling). */
    public float decode(byte code) {
        return switch (this) {
            case FP8_E4M3 -> Fp8E4M3.toFloat(code);
            case INT8 -> code;
        };
    }
}
