package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;
import static io.lpu4j.engine.kernel.Lanes.S;

/**
 * Causal attention of query heads over one key/value head of the cache, in two parts:
 * {@link #widen} turns a kv head's cached rows (binary16 or F32) into F32 once, and {@link #head}
 * attends one query from those F32 rows. With grouped-query attention several query heads (and, in
 * prefill, many tokens) share one widened kv head, so the half-to-float work is paid once per kv head
 * instead of once per query. Scores, softmax and the weighted sum are F32: softmax over thousands of
 * positions loses too much in half precision, and the scores never leave the worker's scratch.
 *
 * <p>Cache layout per kv head: row p holds position p's {@code headDim} values, zero-padded to whole
 * vectors; rows are {@code stride} elements apart.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * Rows [0, positions) of one kv head of the key and value caches, as F32 rows of
     * {@code padded(headDim)} floats into {@code keysOut} and {@code valuesOut}. Exact (binary16
     * widens to float without rounding).
     */
    public static void widen(MemorySegment keys, MemorySegment values, long headAt, int stride, boolean half,
                             int positions, int headDim, MemorySegment keysOut, MemorySegment valuesOut) {
        int width = Lanes.padded(headDim);
        if (!half) {
            for (int p = 0; p < positions; p++) {
                long from = (headAt + (long) p * stride) * Float.BYTES;
                long to = (long) p * width * Float.BYTES;
                MemorySegment.copy(keys, from, keysOut, to, (long) width * Float.BYTES);
                MemorySegment.copy(values, from, valuesOut, to, (long) width * Float.BYTES);
            }
            return;
        }
        widenHalf(keys, values, headAt, stride, positions, width, keysOut, valuesOut);
    }

    /**
     * The binary16 path on its own: a method whose profile only ever sees binary16, so that C2,
     * recompiling after a process ran F32 first, still inlines the decoder (measured: otherwise its
     * vectors were boxed, 11 KB per decode step on stories260K). Keys and values advance together:
     * the cache rows of older positions are cold (a decode step streams the weights through the
     * caches between two layers' attention), and two streams keep twice the memory requests in flight
     * as one: TinyLlama-shape FP8 decode over positions 0-255, worker 0's widening took 0.16 against
     * 0.24 ms per token.
     */
    private static void widenHalf(MemorySegment keys, MemorySegment values, long headAt, int stride, int positions,
                                  int width, MemorySegment keysOut, MemorySegment valuesOut) {
        for (int p = 0; p < positions; p++) {
            long row = headAt + (long) p * stride;
            for (int k = 0; k < width; k += N) {
                long to = ((long) p * width + k) * Float.BYTES;
                Decode.f16(ShortVector.fromMemorySegment(S, keys, (row + k) * Short.BYTES, ORDER))
                        .intoMemorySegment(keysOut, to, ORDER);
                Decode.f16(ShortVector.fromMemorySegment(S, values, (row + k) * Short.BYTES, ORDER))
                        .intoMemorySegment(valuesOut, to, ORDER);
            }
        }
    }

    /**
     * One query head over {@code positions} widened key and value rows.
     *
     * @param q         query in F32 at {@code q[qAt..]}, zero-padded to whole vectors
     * @param keys      widened keys: row p at float {@code p · padded(headDim)}
     * @param values    widened values, same layout
     * @param scores    F32 scratch with room for {@code positions} rounded up to whole vectors
     * @param out       receives the F32 result at {@code out[outAt..outAt + padded(headDim))}
     */
    public static void head(MemorySegment q, long qAt, MemorySegment keys, MemorySegment values, int positions,
                            int headDim, float scale, MemorySegment scores, MemorySegment out, long outAt,
                            KernelScratch scratch) {
        MemorySegment acc = scratch.accumulators();
        int width = Lanes.padded(headDim);
        // Scaled and compared a vector of scores at a time when sixteen fill one (AVX-512): the running
        // maximum as one scalar was a chain of dependent compares, a quarter of the scores' time (one
        // head, head_dim 64, medians: 0.92 against 1.11 µs at 192 positions, 2.17 against 2.80 at 512).
        // Same bits: the products are rounded alike and a maximum does not depend on order.
        boolean wholeVectors = N == LaneSums.GROUP;
        FloatVector maxima = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        float max = Float.NEGATIVE_INFINITY;
        for (int group = 0; group < positions; group += LaneSums.GROUP) {
            int n = Math.min(LaneSums.GROUP, positions - group);
            if (n == LaneSums.GROUP && width == 4 * N) {
                sixteenDotsOfFourVectors(keys, (long) group * width, q, qAt, acc);
            } else {
                for (int j = 0; j < n; j++) {
                    DecodedTiles.spillDot(keys, (long) (group + j) * width, q, qAt, width, acc, j);
                }
            }
            LaneSums.reduce(acc, 0);
            if (wholeVectors && n == LaneSums.GROUP) {
                FloatVector sixteen = Decode.f32(acc, 0).mul(scale);
                sixteen.intoMemorySegment(scores, (long) group * Float.BYTES, ORDER);
                maxima = maxima.max(sixteen);
                continue;
            }
            for (int j = 0; j < n; j++) {
                float score = acc.getAtIndex(FLOAT, j) * scale;
                scores.setAtIndex(FLOAT, group + j, score);
                max = Math.max(max, score);
            }
        }
        max = Math.max(max, maxima.reduceLanes(VectorOperators.MAX));
        float inverse = 1f / VectorMath.expInPlace(scores, positions, max, acc);
        int k = 0;
        for (; k + 4 * N <= width; k += 4 * N) {
            fourWeightedValues(values, k, width, positions, scores, inverse, out, outAt + k);
        }
        for (; k < width; k += N) {
            weightedValues(values, k, width, positions, scores, inverse, out, outAt + k);
        }
    }

    /**
     * Sixteen keys of four vectors each (rows {@code first / width} on) dotted with the query,
     * accumulators spilled to slots 0..15 of {@code acc}: each the same chain as
     * {@link DecodedTiles#spillDot}, written out without its loop (head dimension 64 with 16 lanes:
     * TinyLlama, SmolLM2, Llama-3.2-1B, Qwen2.5-0.5B). Measured standalone (one query head over
     * widened rows, head dimension 64, medians, with {@link #fourWeightedValues}): 1.11 against
     * 2.60 µs at 192 positions, 2.80 against 6.75 at 512, 28.7 against 56.2 at 4096; a loop over
     * the sixteen rows with the vectors' loop unrolled four times, or sixteen accumulators
     * advancing together, ran at 3.5–3.7 µs (512).
     */
    private static void sixteenDotsOfFourVectors(MemorySegment keys, long first, MemorySegment q, long qAt,
                                                 MemorySegment acc) {
        FloatVector q0 = Decode.f32(q, qAt);
        FloatVector q1 = Decode.f32(q, qAt + N);
        FloatVector q2 = Decode.f32(q, qAt + 2 * N);
        FloatVector q3 = Decode.f32(q, qAt + 3 * N);
        for (int j = 0; j < LaneSums.GROUP; j++) {
            long at = first + (long) j * 4 * N;
            FloatVector a = Decode.f32(keys, at).fma(q0, FloatVector.zero(F));
            a = Decode.f32(keys, at + N).fma(q1, a);
            a = Decode.f32(keys, at + 2 * N).fma(q2, a);
            a = Decode.f32(keys, at + 3 * N).fma(q3, a);
            a.intoMemorySegment(acc, (long) j * N * Float.BYTES, ORDER);
        }
    }

    /**
     * {@link #weightedValues} for four vectors of columns at once, each the same chain over the
     * positions: four chains in flight instead of one, which was bound by the FMA latency.
     */
    private static void fourWeightedValues(MemorySegment values, long first, int width, int positions,
                                           MemorySegment scores, float inverse, MemorySegment out, long at) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int p = 0; p < positions; p++) {
            FloatVector e = FloatVector.broadcast(F, scores.getAtIndex(FLOAT, p));
            long row = first + (long) p * width;
            a0 = Decode.f32(values, row).fma(e, a0);
            a1 = Decode.f32(values, row + N).fma(e, a1);
            a2 = Decode.f32(values, row + 2 * N).fma(e, a2);
            a3 = Decode.f32(values, row + 3 * N).fma(e, a3);
        }
        long b = (long) N * Float.BYTES;
        a0.mul(inverse).intoMemorySegment(out, at * Float.BYTES, ORDER);
        a1.mul(inverse).intoMemorySegment(out, at * Float.BYTES + b, ORDER);
        a2.mul(inverse).intoMemorySegment(out, at * Float.BYTES + 2 * b, ORDER);
        a3.mul(inverse).intoMemorySegment(out, at * Float.BYTES + 3 * b, ORDER);
    }

    /**
     * out[at..at+N) = (Σ_p e[p] · values[p·width + first ..]) · inverse: the softmax's division is
     * applied once to the sum instead of to every score.
     */
    private static void weightedValues(MemorySegment values, long first, int width, int positions,
                                       MemorySegment scores, float inverse, MemorySegment out, long at) {
        FloatVector a = FloatVector.zero(F);
        for (int p = 0; p < positions; p++) {
            a = Decode.f32(values, first + (long) p * width)
                    .fma(FloatVector.broadcast(F, scores.getAtIndex(FLOAT, p)), a);
        }
        a.mul(inverse).intoMemorySegment(out, at * Float.BYTES, ORDER);
    }
}
