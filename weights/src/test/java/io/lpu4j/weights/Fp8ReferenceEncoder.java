package io.lpu4j.weights;

/**
 * The slow, obviously-right FP8 encoder the fast one is checked against: the finite code nearest to
 * the value by exhaustive search over all of them, a tie going to the even code, the sign copied.
 * Nothing about bit layouts or rounding tricks, only distances.
 */
final class Fp8ReferenceEncoder {
    /**
     * Far beyond every finite FP8 value (57344 < 2^16) yet small enough that {@code LIMIT - v} is exact
     * in double for every code value v. Larger magnitudes are brought down to it: with exact arithmetic
     * the ordering of the distances is the same (the largest code is nearest), but for huge magnitudes
     * double subtraction could round two distances to one and fake a tie. ∞ is brought down too, which
     * is the saturating rule: ±∞ encode as the largest finite value of the sign.
     */
    private static final double LIMIT = 0x1p40;

    private final Fp8Format format;
    private final double[] values;

    Fp8ReferenceEncoder(Fp8Format format) {
        this.format = format;
        this.values = new double[format.maxCode + 1];
        for (int code = 0; code <= format.maxCode; code++) {
            values[code] = format.exactValue(code);
        }
    }

    int encode(float value) {
        if (Float.isNaN(value)) {
            return format.nanCode;
        }
        int sign = (Float.floatToRawIntBits(value) >>> 24) & 0x80;
        double magnitude = Math.min(Math.abs((double) value), LIMIT);
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int code = 0; code < values.length; code++) {
            double distance = Math.abs(magnitude - values[code]);
            if (distance < bestDistance || (distance == bestDistance && (code & 1) == 0)) {
                best = code;
                bestDistance = distance;
            }
        }
        return sign | best;
    }
}
