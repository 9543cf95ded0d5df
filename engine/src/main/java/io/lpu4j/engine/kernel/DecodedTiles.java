package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * The prefill inner kernel shared by every weight format: up to {@link KernelScratch#ROW_TILE} weight
 * rows, already decoded to F32 (zero-padded), times many tokens. Decoding once per row tile and
 * reusing it across all tokens is what makes prefill compute-bound rather than decode-bound.
 * Four rows × four tokens keep 16 accumulators in registers (measured: ~160 GFLOP/s per core on
 * L2-resident data); the order per (row, token) is the one {@link WeightMatrix} specifies.
 */
final class DecodedTiles {
    static final int TILE = KernelScratch.ROW_TILE;
    /** Accumulators of one tile: token-major, index = token * TILE + row. */
    private static final int ACCUMULATORS = TILE * TILE;
    /** PAIR_LOW[level] / PAIR_HIGH[level]: see {@link #sumAccumulators}. */
    private static final VectorShuffle<Float>[] PAIR_LOW = pairShuffles(0);
    private static final VectorShuffle<Float>[] PAIR_HIGH = pairShuffles(1);

    private DecodedTiles() {
    }

    /**
     * For the {@code rowCount} decoded rows (row i at float {@code i * stride} of {@code w}) and all
     * tokens: {@code out[firstOut + t * outStride + i] = sum(dot) * scale[i]}.
     */
    static void multiply(MemorySegment w, int stride, int rowCount, float[] scales, int cols,
                         MemorySegment x, int tokens, MemorySegment out, int outStride, long firstOut,
                         MemorySegment accumulators) {
        int width = Lanes.padded(cols);
        int t = 0;
        if (rowCount == TILE) {
            for (; t + TILE <= tokens; t += TILE) {
                fourByFour(w, stride, width, x, (long) t * width, accumulators);
                sumAccumulators(accumulators);
                for (int token = 0; token < TILE; token++) {
                    for (int i = 0; i < TILE; i++) {
                        float dot = accumulators.getAtIndex(FLOAT, token * TILE + i);
                        out.setAtIndex(FLOAT, firstOut + (long) (t + token) * outStride + i, dot * scales[i]);
                    }
                }
            }
        }
        for (; t < tokens; t++) {
            for (int i = 0; i < rowCount; i++) {
                float dot = Lanes.sum(oneByOne(w, (long) i * stride, x, (long) t * width, width));
                out.setAtIndex(FLOAT, firstOut + (long) t * outStride + i, dot * scales[i]);
            }
        }
    }

    static FloatVector oneByOne(MemorySegment w, long wFloat, MemorySegment x, long xFloat, int width) {
        FloatVector acc = FloatVector.zero(F);
        for (int k = 0; k < width; k += N) {
            acc = load(w, wFloat + k).fma(load(x, xFloat + k), acc);
        }
        return acc;
    }

    /** 4 rows × 4 tokens; the 16 accumulators are spilled to {@code acc}, token-major. */
    private static void fourByFour(MemorySegment w, int stride, int width, MemorySegment x, long x0,
                                   MemorySegment acc) {
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        long x1 = x0 + width, x2 = x1 + width, x3 = x2 + width;
        for (int k = 0; k < width; k += N) {
            FloatVector w0 = load(w, k);
            FloatVector w1 = load(w, stride + k);
            FloatVector w2 = load(w, 2L * stride + k);
            FloatVector w3 = load(w, 3L * stride + k);
            FloatVector v = load(x, x0 + k);
            a00 = w0.fma(v, a00); a10 = w1.fma(v, a10); a20 = w2.fma(v, a20); a30 = w3.fma(v, a30);
            v = load(x, x1 + k);
            a01 = w0.fma(v, a01); a11 = w1.fma(v, a11); a21 = w2.fma(v, a21); a31 = w3.fma(v, a31);
            v = load(x, x2 + k);
            a02 = w0.fma(v, a02); a12 = w1.fma(v, a12); a22 = w2.fma(v, a22); a32 = w3.fma(v, a32);
            v = load(x, x3 + k);
            a03 = w0.fma(v, a03); a13 = w1.fma(v, a13); a23 = w2.fma(v, a23); a33 = w3.fma(v, a33);
        }
        // Spilled directly here: passing vectors to a helper that C2 declines to inline would box them.
        long b = (long) N * Float.BYTES;
        a00.intoMemorySegment(acc, 0, ORDER); a10.intoMemorySegment(acc, b, ORDER);
        a20.intoMemorySegment(acc, 2 * b, ORDER); a30.intoMemorySegment(acc, 3 * b, ORDER);
        a01.intoMemorySegment(acc, 4 * b, ORDER); a11.intoMemorySegment(acc, 5 * b, ORDER);
        a21.intoMemorySegment(acc, 6 * b, ORDER); a31.intoMemorySegment(acc, 7 * b, ORDER);
        a02.intoMemorySegment(acc, 8 * b, ORDER); a12.intoMemorySegment(acc, 9 * b, ORDER);
        a22.intoMemorySegment(acc, 10 * b, ORDER); a32.intoMemorySegment(acc, 11 * b, ORDER);
        a03.intoMemorySegment(acc, 12 * b, ORDER); a13.intoMemorySegment(acc, 13 * b, ORDER);
        a23.intoMemorySegment(acc, 14 * b, ORDER); a33.intoMemorySegment(acc, 15 * b, ORDER);
    }

    /**
     * Sums the lanes of the 16 spilled accumulators, all at once, in {@link Lanes#sum}'s order; the
     * 16 sums land in floats [0, 16) of {@code acc}, in accumulator order.
     *
     * <p>At each level two vectors, each holding g groups of w lanes, become one holding 2g groups
     * of w/2: group lanes (i, i + w/2) are added, exactly the fold {@link Lanes#sum} does. One
     * two-source permute per half replaces the per-vector rotate-and-add (4 levels × 16 vectors).
     */
    private static void sumAccumulators(MemorySegment acc) {
        int vectors = ACCUMULATORS;
        for (int level = 0; level < PAIR_LOW.length; level++) {
            int pairs = vectors / 2;
            for (int p = 0; p < pairs; p++) {
                FloatVector a = load(acc, (long) 2 * p * N);
                FloatVector b = load(acc, (long) (2 * p + 1) * N);
                a.rearrange(PAIR_LOW[level], b).add(a.rearrange(PAIR_HIGH[level], b))
                        .intoMemorySegment(acc, (long) p * N * Float.BYTES, ORDER);
            }
            vectors = pairs;
        }
        // With N lanes and 16 accumulators, vectors == 16 / N here: their lanes are the 16 sums in order.
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
            int groups = 1 << level;
            int width = N / groups;
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

    static FloatVector load(MemorySegment segment, long floatIndex) {
        return FloatVector.fromMemorySegment(F, segment, floatIndex * Float.BYTES, ORDER);
    }
}
