package io.lpu4j.engine.generate;

import java.util.SplittableRandom;

/**
 * Picks the next token: greedy, or temperature → softmax → top-k → top-p → one random draw.
 * All scratch space is allocated once, so sampling allocates nothing per token.
 */
public final class Sampler {
    private final SamplingSettings settings;
    private final SplittableRandom random;
    private final float[] probabilities;
    /** Candidate ids, kept in [0, candidateCount) and ordered by descending probability when needed. */
    private final int[] candidates;

    public Sampler(SamplingSettings settings, int vocabSize) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
        this.probabilities = new float[vocabSize];
        this.candidates = new int[vocabSize];
    }

    public int next(float[] logits) {
        if (settings.temperature() == 0f) {
            return argmax(logits);
        }
        int n = probabilities.length;
        softmax(logits, settings.temperature());
        int count = n;
        for (int i = 0; i < n; i++) {
            candidates[i] = i;
        }
        if (settings.topK() > 0 && settings.topK() < n) {
            count = settings.topK();
        }
        // Order the kept candidates by descending probability (a partial heap sort keeps this
        // O(n + k log n) for top-k; with top-p alone the whole vocabulary is sorted once).
        sortTopDescending(count);
        if (settings.topP() < 1f) {
            count = nucleus(count, settings.topP());
        }
        return draw(count);
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private void softmax(float[] logits, float temperature) {
        float max = Float.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) Math.exp((logits[i] - max) / temperature);
        }
    }

    /** The smallest prefix of the ordered candidates whose (unnormalized) mass reaches p of the kept total. */
    private int nucleus(int count, float p) {
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += probabilities[candidates[i]];
        }
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            cumulative += probabilities[candidates[i]];
            if (cumulative >= p * total) {
                return i + 1;
            }
        }
        return count;
    }

    private int draw(int count) {
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += probabilities[candidates[i]];
        }
        double target = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            cumulative += probabilities[candidates[i]];
            if (target < cumulative) {
                return candidates[i];
            }
        }
        return candidates[count - 1];
    }

    /**
     * Moves the {@code k} most probable candidates to the front in descending order (ties: lower id
     * first) by heap-selecting them; allocation-free.
     */
    private void sortTopDescending(int k) {
        int n = candidates.length;
        // Build a max-heap over all candidates, then pop k times to the back, then reverse that tail.
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(i, n);
        }
        int end = n;
        for (int popped = 0; popped < k; popped++) {
            end--;
            swap(0, end);
            siftDown(0, end);
        }
        // candidates[n-1] is the best, candidates[n-k] the k-th best: swapping i with n-1-i
        // (a reversal, cut short when the two ranges do not overlap) brings them to [0, k).
        for (int i = 0, limit = Math.min(k, n / 2); i < limit; i++) {
            swap(i, n - 1 - i);
        }
    }

    private boolean better(int a, int b) {
        float pa = probabilities[candidates[a]];
        float pb = probabilities[candidates[b]];
        return pa > pb || (pa == pb && candidates[a] < candidates[b]);
    }

    private void siftDown(int i, int size) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int child = left + 1 < size && better(left + 1, left) ? left + 1 : left;
            if (!better(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        int t = candidates[a];
        candidates[a] = candidates[b];
        candidates[b] = t;
    }
}
