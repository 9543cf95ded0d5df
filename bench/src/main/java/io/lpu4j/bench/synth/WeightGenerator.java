package io.lpu4j.bench.synth;

import java.nio.charset.StandardCharsets;

/**
 * The values of one synthetic tensor, each a pure function of (seed, tensor name, element index).
 * Any range of elements can be produced by any thread in any order, and the bytes on disk do not
 * depend on how the work was split. Keying by name (not by position in the file) also keeps a
 * tensor's values the same when layers are added or the vocabulary is resized around it.
 *
 * <p>Method: a counter-based generator. SplitMix64's finalizer hashes (tensor key + pair index ×
 * golden gamma) into 64 random bits, two signed 32-bit uniforms x and y; Marsaglia's polar method
 * turns them into two standard normals, one for the even and one for the odd element of the pair
 * (a point outside the unit circle, one in 4.7, is redrawn with the next attempt number). Unlike a
 * sum of uniforms this has true Gaussian tails, which matter to a quantizer that scales by the
 * absolute maximum. It needs only sqrt and {@link StrictMath#log}, both bit-exact on every JVM, so
 * the same seed gives the same bytes everywhere.
 */
final class WeightGenerator {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long ATTEMPT_GAMMA = 0xD1B54A32D192ED03L;
    private static final long ROW_STREAM = 0x5EED0FA5C0FFEEL;

    private final Distribution distribution;
    private final long columns;
    private final long elementKey;
    private final long rowKey;

    WeightGenerator(long seed, WeightSpec spec) {
        this.distribution = spec.distribution();
        this.columns = spec.columns();
        this.elementKey = mix(seed ^ mix(fnv1a(spec.name())));
        this.rowKey = mix(elementKey ^ ROW_STREAM);
    }

    /** Writes the values of elements {@code [first, first + count)} into {@code out[0..count)}. */
    void values(long first, float[] out, int count) {
        normals(elementKey, first, out, count);
        double mean = distribution.mean();
        double std = distribution.std();
        double spread = distribution.rowSpread();
        int rowEnd = 0; // index in out[] where the next row begins
        double rowStd = std;
        for (int i = 0; i < count; i++) {
            if (i == rowEnd) {
                long row = (first + i) / columns;
                rowEnd = (int) Math.min(count, (row + 1) * columns - first);
                rowStd = spread == 0 ? std : std * StrictMath.exp(spread * normal(rowKey, row));
            }
            out[i] = (float) (mean + rowStd * out[i]);
        }
    }

    /** Standard normals {@code [first, first + count)} of the stream {@code key}, as floats. */
    static void normals(long key, long first, float[] out, int count) {
        float[] pair = new float[2];
        int i = 0;
        if (count > 0 && (first & 1) != 0) {
            normalPair(key, first >>> 1, pair, 0);
            out[i++] = pair[1];
        }
        for (; i + 1 < count; i += 2) {
            normalPair(key, (first + i) >>> 1, out, i);
        }
        if (i < count) {
            normalPair(key, (first + i) >>> 1, pair, 0);
            out[i] = pair[0];
        }
    }

    /** Standard normal number {@code index} of the stream {@code key}. */
    static double normal(long key, long index) {
        float[] pair = new float[2];
        normalPair(key, index >>> 1, pair, 0);
        return pair[(int) (index & 1)];
    }

    /** Normals {@code 2·pairIndex} and {@code 2·pairIndex + 1} into {@code out[at]} and {@code out[at + 1]}. */
    private static void normalPair(long key, long pairIndex, float[] out, int at) {
        long base = key + pairIndex * GOLDEN_GAMMA;
        double x;
        double y;
        double s;
        long attempt = 0;
        do {
            long bits = mix(base ^ (attempt++ * ATTEMPT_GAMMA));
            x = (int) (bits >>> 32) * 0x1p-31;
            y = (int) bits * 0x1p-31;
            s = x * x + y * y;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * StrictMath.log(s) / s);
        out[at] = (float) (x * factor);
        out[at + 1] = (float) (y * factor);
    }

    /** SplitMix64's output function (Stafford's variant 13): a bijective 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes: a stable hash of a tensor name (String.hashCode has 32 bits). */
    private static long fnv1a(String text) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return hash;
    }
}
