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

    /** The sum of the N floats stored at {@code lanes[at..]}, folded in place in the same order. */
    public static float fold(MemorySegment lanes, long at) {
        for (int half = N / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                lanes.setAtIndex(FLOAT, at + i, lanes.getAtIndex(FLOAT, at + i) + lanes.getAtIndex(FLOAT, at + i + half));
            }
        }
        return lanes.getAtIndex(FLOAT, at);
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
