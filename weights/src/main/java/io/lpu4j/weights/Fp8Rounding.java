package io.lpu4j.weights;

/**
 * The float32 → FP8 conversion both OCP formats share: round to nearest, ties to even, saturate.
 * Pure bit manipulation plus one float addition, no search; callers pass compile-time constants,
 * so after inlining each format gets its own specialised code.
 */
final class Fp8Rounding {
    private static final int FLOAT_MANTISSA_BITS = 23;
    private static final int FLOAT_BIAS = 127;

    private Fp8Rounding() {
    }

    /**
     * @param mantissaBits stored mantissa bits of the format (3 for E4M3, 2 for E5M2)
     * @param bias         exponent bias of the format (7, 15)
     * @param maxBits      float bits of the largest finite magnitude: every magnitude at or above it,
     *                     ∞ included, saturates to {@code maxCode}
     * @param maxCode      code of the largest finite positive value
     * @param nanCode      code returned for every NaN
     */
    static byte saturatingNearestEven(float value, int mantissaBits, int bias, int maxBits, int maxCode,
                                      int nanCode) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 24) & 0x80;
        int magnitude = bits & 0x7FFF_FFFF;
        if (magnitude > 0x7F80_0000) {
            return (byte) nanCode;
        }
        if (magnitude >= maxBits) {
            return (byte) (sign | maxCode);
        }
        int minNormalBits = (FLOAT_BIAS + 1 - bias) << FLOAT_MANTISSA_BITS;
        if (magnitude < minNormalBits) {
            // Zero, a subnormal, or (rounding up) the smallest normal. The rounder is the power of two
            // whose float ulp is the format's subnormal step 2^(1-bias-mantissaBits): adding it makes the
            // FPU round the magnitude, ties to even, to a whole number of steps, and that count sits in
            // the low bits of the sum. A count of 2^mantissaBits is exactly the smallest normal's code.
            int rounderBits = (FLOAT_BIAS + 1 - bias - mantissaBits + FLOAT_MANTISSA_BITS) << FLOAT_MANTISSA_BITS;
            float sum = Float.intBitsToFloat(magnitude) + Float.intBitsToFloat(rounderBits);
            return (byte) (sign | (Float.floatToRawIntBits(sum) - rounderBits));
        }
        // Normal: re-bias the exponent and round at the lowest kept mantissa bit by adding half an ulp
        // less one plus that bit (ties go to even). A carry out of the mantissa bumps the exponent,
        // which is right; it cannot pass maxCode, since all that would was saturated above.
        int dropped = FLOAT_MANTISSA_BITS - mantissaBits;
        int lowestKeptBit = (magnitude >>> dropped) & 1;
        int rebias = (bias - FLOAT_BIAS) << FLOAT_MANTISSA_BITS;
        int rounded = magnitude + rebias + ((1 << (dropped - 1)) - 1) + lowestKeptBit;
        return (byte) (sign | (rounded >>> dropped));
    }
}
