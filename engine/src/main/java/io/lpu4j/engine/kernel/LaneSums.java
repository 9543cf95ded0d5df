package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * Horizontal sums of vector accumulators, in one fixed order: lanes (i, i + N/2) are added, then
 * (i, i + N/4), ..., and lane 0 is the sum.
 *
 * <p>Why not {@code reduceLanes(ADD)}: its order is unspecified and differs between the interpreter
 * and compiled code, so results could change once the JIT warms up. Why accumulators are spilled to
 * memory first: a method that receives a vector and is not inlined makes C2 box the vector on the
 * heap, and C2 declines to inline anything over 35 bytecodes at call sites it does not consider hot.
 * Kernels therefore store their accumulators (intrinsics, always inlined) and call these methods,
 * which take only memory.
 */
public final class LaneSums {
    /** Accumulators reduced together by {@link #reduce}. */
    public static final int GROUP = 16;
    private static final VectorShuffle<Float>[] PAIR_LOW = pairShuffles(0);
    private static final VectorShuffle<Float>[] PAIR_HIGH = pairShuffles(1);
    // The four levels' shuffles as constants, for reduceSixteen (unused, and null, below 16 lanes).
    private static final VectorShuffle<Float> L0 = level(PAIR_LOW, 0);
    private static final VectorShuffle<Float> H0 = level(PAIR_HIGH, 0);
    private static final VectorShuffle<Float> L1 = level(PAIR_LOW, 1);
    private static final VectorShuffle<Float> H1 = level(PAIR_HIGH, 1);
    private static final VectorShuffle<Float> L2 = level(PAIR_LOW, 2);
    private static final VectorShuffle<Float> H2 = level(PAIR_HIGH, 2);
    private static final VectorShuffle<Float> L3 = level(PAIR_LOW, 3);
    private static final VectorShuffle<Float> H3 = level(PAIR_HIGH, 3);

    private LaneSums() {
    }

    /**
     * Reduces the {@link #GROUP} accumulators stored from slot {@code first} on
     * ({@code acc[(first + i) * N .. (first + i + 1) * N)}); afterwards {@code acc[first * N + i]}
     * holds the sum of accumulator i. At each level two vectors, each holding g groups of w lanes,
     * become one holding 2g groups of w/2 (the fold above), so 16 sums cost 30 two-source permutes
     * and 15 adds instead of 16 separate folds.
     */
    public static void reduce(MemorySegment acc, int first) {
        long base = (long) first * N * Float.BYTES;
        if (N == GROUP) {
            reduceSixteen(acc, base);
            return;
        }
        int vectors = GROUP;
        for (int level = 0; level < PAIR_LOW.length; level++) {
            int pairs = vectors / 2;
            for (int p = 0; p < pairs; p++) {
                FloatVector a = FloatVector.fromMemorySegment(F, acc, base + (long) 2 * p * N * Float.BYTES, ORDER);
                FloatVector b = FloatVector.fromMemorySegment(F, acc, base + (long) (2 * p + 1) * N * Float.BYTES, ORDER);
                a.rearrange(PAIR_LOW[level], b).add(a.rearrange(PAIR_HIGH[level], b))
                        .intoMemorySegment(acc, base + (long) p * N * Float.BYTES, ORDER);
            }
            vectors = pairs;
        }
        // GROUP / N vectors remain, holding the GROUP sums in order from acc[first * N].
    }

    /**
     * {@link #reduce} when there are as many lanes as accumulators (AVX-512): the same tree written
     * out, so the sixteen vectors stay in registers between levels and every shuffle is a constant.
     * The one-token product reduces after every two two-stream calls on short rows, and this cut
     * that cost: FP8_CHANNEL 5632×2048, one thread, JMH single forks taking turns, 2668–3036 against
     * 2180–2462 products/s (2048×5632, F32 and BF16 the same). The eight first-level pairs are
     * written out too: as a helper returning a vector, it was not always inlined, and decode
     * allocated.
     */
    private static void reduceSixteen(MemorySegment acc, long base) {
        long b = (long) N * Float.BYTES;
        FloatVector a0 = FloatVector.fromMemorySegment(F, acc, base, ORDER);
        FloatVector c0 = FloatVector.fromMemorySegment(F, acc, base + 1 * b, ORDER);
        FloatVector v0 = a0.rearrange(L0, c0).add(a0.rearrange(H0, c0));
        FloatVector a1 = FloatVector.fromMemorySegment(F, acc, base + 2 * b, ORDER);
        FloatVector c1 = FloatVector.fromMemorySegment(F, acc, base + 3 * b, ORDER);
        FloatVector v1 = a1.rearrange(L0, c1).add(a1.rearrange(H0, c1));
        FloatVector a2 = FloatVector.fromMemorySegment(F, acc, base + 4 * b, ORDER);
        FloatVector c2 = FloatVector.fromMemorySegment(F, acc, base + 5 * b, ORDER);
        FloatVector v2 = a2.rearrange(L0, c2).add(a2.rearrange(H0, c2));
        FloatVector a3 = FloatVector.fromMemorySegment(F, acc, base + 6 * b, ORDER);
        FloatVector c3 = FloatVector.fromMemorySegment(F, acc, base + 7 * b, ORDER);
        FloatVector v3 = a3.rearrange(L0, c3).add(a3.rearrange(H0, c3));
        FloatVector a4 = FloatVector.fromMemorySegment(F, acc, base + 8 * b, ORDER);
        FloatVector c4 = FloatVector.fromMemorySegment(F, acc, base + 9 * b, ORDER);
        FloatVector v4 = a4.rearrange(L0, c4).add(a4.rearrange(H0, c4));
        FloatVector a5 = FloatVector.fromMemorySegment(F, acc, base + 10 * b, ORDER);
        FloatVector c5 = FloatVector.fromMemorySegment(F, acc, base + 11 * b, ORDER);
        FloatVector v5 = a5.rearrange(L0, c5).add(a5.rearrange(H0, c5));
        FloatVector a6 = FloatVector.fromMemorySegment(F, acc, base + 12 * b, ORDER);
        FloatVector c6 = FloatVector.fromMemorySegment(F, acc, base + 13 * b, ORDER);
        FloatVector v6 = a6.rearrange(L0, c6).add(a6.rearrange(H0, c6));
        FloatVector a7 = FloatVector.fromMemorySegment(F, acc, base + 14 * b, ORDER);
        FloatVector c7 = FloatVector.fromMemorySegment(F, acc, base + 15 * b, ORDER);
        FloatVector v7 = a7.rearrange(L0, c7).add(a7.rearrange(H0, c7));
        FloatVector u0 = v0.rearrange(L1, v1).add(v0.rearrange(H1, v1));
        FloatVector u1 = v2.rearrange(L1, v3).add(v2.rearrange(H1, v3));
        FloatVector u2 = v4.rearrange(L1, v5).add(v4.rearrange(H1, v5));
        FloatVector u3 = v6.rearrange(L1, v7).add(v6.rearrange(H1, v7));
        FloatVector t0 = u0.rearrange(L2, u1).add(u0.rearrange(H2, u1));
        FloatVector t1 = u2.rearrange(L2, u3).add(u2.rearrange(H2, u3));
        t0.rearrange(L3, t1).add(t0.rearrange(H3, t1)).intoMemorySegment(acc, base, ORDER);
    }

    /** The sum of the N floats stored at {@code lanes[at..]}, folded in place in the same order. */
    public static float fold(MemorySegment lanes, long at) {
        for (int half = N / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                lanes.setAtIndex(FLOAT, at + i, lanes.getAtIndex(FLOAT, at + i) + lanes.getAtIndex(FLOAT, at + i + half));
            }
        }
        return lanes.getAtIndex(FLOAT, at);
    }

    private static VectorShuffle<Float> level(VectorShuffle<Float>[] shuffles, int level) {
        return level < shuffles.length ? shuffles[level] : null;
    }

    /**
     * Level l combines vectors holding 2^l groups of N / 2^l lanes; {@code half} 0 picks each group's
     * first half, 1 its second half; lanes of the second vector are indexed N + i.
     */
    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] pairShuffles(int half) {
        int levels = Integer.numberOfTrailingZeros(N);
        VectorShuffle<Float>[] shuffles = new VectorShuffle[levels];
        for (int level = 0; level < levels; level++) {
            int width = N >> level;
            int[] source = new int[N];
            for (int lane = 0; lane < N; lane++) {
                int fromSecond = lane / (N / 2);
                int group = (lane % (N / 2)) / (width / 2);
                int element = lane % (width / 2);
                source[lane] = fromSecond * N + group * width + half * (width / 2) + element;
            }
            shuffles[level] = VectorShuffle.fromArray(F, source, 0);
        }
        return shuffles;
    }
}
