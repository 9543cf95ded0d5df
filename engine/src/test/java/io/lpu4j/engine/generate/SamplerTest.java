package io.lpu4j.engine.generate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    private static final float[] LOGITS = {1.0f, 3.0f, 2.0f, 0.5f, 2.9f, -1f};

    @Test
    void greedyTakesTheFirstLargest() {
        Sampler greedy = new Sampler(SamplingSettings.greedy(), 4);
        assertEquals(1, greedy.next(new float[] {0f, 5f, 5f, 1f}));
    }

    @Test
    void topKOfOneIsGreedy() {
        Sampler sampler = new Sampler(new SamplingSettings(1.5f, 1, 1f, 7), LOGITS.length);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, sampler.next(LOGITS));
        }
    }

    @Test
    void tinyTopPIsGreedy() {
        Sampler sampler = new Sampler(new SamplingSettings(1f, 0, 1e-6f, 7), LOGITS.length);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, sampler.next(LOGITS));
        }
    }

    @Test
    void sameSeedSameDrawsOtherSeedOtherDraws() {
        int[] a = draws(42, 200);
        assertArrayEquals(a, draws(42, 200));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(draws(43, 200)));
    }

    private static int[] draws(long seed, int n) {
        Sampler sampler = new Sampler(new SamplingSettings(1f, 0, 1f, seed), LOGITS.length);
        return IntStream.range(0, n).map(i -> sampler.next(LOGITS)).toArray();
    }

    /** With temperature T, top-k and top-p, frequencies follow the renormalized softmax of what is kept. */
    @Test
    void frequenciesFollowTheFilteredSoftmax() {
        float temperature = 0.7f;
        int topK = 4;           // keeps ids 1, 4, 2, 0 (logits 3, 2.9, 2, 1)
        float topP = 0.9f;
        double[] p = new double[LOGITS.length];
        int[] byRank = {1, 4, 2, 0};
        double total = 0;
        for (int id : byRank) {
            total += Math.exp(LOGITS[id] / temperature);
        }
        double cumulative = 0;
        double kept = 0;
        for (int id : byRank) {
            double prob = Math.exp(LOGITS[id] / temperature) / total;
            if (cumulative < topP) {
                p[id] = prob;
                kept += prob;
            }
            cumulative += prob;
        }
        Sampler sampler = new Sampler(new SamplingSettings(temperature, topK, topP, 1), LOGITS.length);
        int n = 200_000;
        int[] counts = new int[LOGITS.length];
        for (int i = 0; i < n; i++) {
            counts[sampler.next(LOGITS)]++;
        }
        for (int id = 0; id < LOGITS.length; id++) {
            double expected = p[id] / kept;
            double observed = counts[id] / (double) n;
            assertEquals(expected, observed, 0.005, "id " + id);
        }
        assertEquals(0, counts[5]);
        assertTrue(counts[3] == 0, "id 3 is outside the top 4");
    }

    @Test
    void topKSelectionOrdersLargeVocabularies() {
        SplittableRandom random = new SplittableRandom(3);
        float[] logits = new float[1000];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        int best = Sampler.argmax(logits);
        Sampler sampler = new Sampler(new SamplingSettings(0.01f, 5, 1f, 9), logits.length);
        assertEquals(best, sampler.next(logits), "at a very low temperature the best of the top 5 wins");
    }
}
