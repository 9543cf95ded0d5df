package io.lpu4j.engine.kernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One query head over widened keys and values against softmax attention computed in double. Head
 * dimension 64 takes the written-out sixteen-key path for whole groups of sixteen positions
 * (16 lanes), 48 and 128 the general one; 37 and 300 positions leave a partial group. A query
 * scaled by 100 makes scores of about ±250: the softmax must shift by the true maximum over every
 * group of positions, or its exponentials saturate (they are clamped at e^88) and the result is
 * wrong.
 */
class AttentionTest {
    @ParameterizedTest
    @CsvSource({"64, 1, 1", "64, 16, 1", "64, 37, 1", "64, 300, 1", "48, 37, 1", "128, 300, 1", "64, 300, 100",
            "48, 300, 100", "64, 37, 100"})
    void headMatchesSoftmaxAttentionInDouble(int headDim, int positions, float queryScale) {
        SplittableRandom random = new SplittableRandom(headDim * 1000L + positions);
        int width = Lanes.padded(headDim);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate((long) width * 4, 64);
            MemorySegment keys = arena.allocate((long) positions * width * 4, 64);
            MemorySegment values = arena.allocate((long) positions * width * 4, 64);
            for (int d = 0; d < headDim; d++) {
                q.setAtIndex(ValueLayout.JAVA_FLOAT, d, (float) random.nextGaussian() * queryScale);
                for (int p = 0; p < positions; p++) {
                    keys.setAtIndex(ValueLayout.JAVA_FLOAT, (long) p * width + d, (float) random.nextGaussian());
                    values.setAtIndex(ValueLayout.JAVA_FLOAT, (long) p * width + d, (float) random.nextGaussian());
                }
            }
            MemorySegment scores = arena.allocate((long) Lanes.padded(positions) * 4, 64);
            MemorySegment out = arena.allocate((long) width * 4, 64);
            float scale = (float) (1 / Math.sqrt(headDim));
            Attention.head(q, 0, keys, values, positions, headDim, scale, scores, out, 0, new KernelScratch(arena, headDim));

            double[] weights = new double[positions];
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p < positions; p++) {
                for (int d = 0; d < headDim; d++) {
                    weights[p] += (double) q.getAtIndex(ValueLayout.JAVA_FLOAT, d)
                            * keys.getAtIndex(ValueLayout.JAVA_FLOAT, (long) p * width + d);
                }
                weights[p] *= scale;
                max = Math.max(max, weights[p]);
            }
            double sum = 0;
            for (int p = 0; p < positions; p++) {
                weights[p] = Math.exp(weights[p] - max);
                sum += weights[p];
            }
            for (int d = 0; d < headDim; d++) {
                double expected = 0;
                for (int p = 0; p < positions; p++) {
                    expected += weights[p] / sum * values.getAtIndex(ValueLayout.JAVA_FLOAT, (long) p * width + d);
                }
                assertEquals(expected, out.getAtIndex(ValueLayout.JAVA_FLOAT, d), 1e-5, "dimension " + d);
            }
        }
    }
}
