package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;

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
     * Rows [0, positions) of one kv head of the cache, as F32 rows of {@code padded(headDim)} floats
     * into {@code dst}. Exact (binary16 widens to float without rounding).
     */
    public static void widen(MemorySegment cache, long headAt, int stride, boolean half, int positions, int headDim,
                             MemorySegment dst) {
        int width = Lanes.padded(headDim);
        if (!half) {
            for (int p = 0; p < positions; p++) {
                MemorySegment.copy(cache, (headAt + (long) p * stride) * Float.BYTES, dst,
                        (long) p * width * Float.BYTES, (long) width * Float.BYTES);
            }
            return;
        }
        widenHalf(cache, headAt, stride, positions, width, dst);
    }

    /**
     * The binary16 path on its own: a method whose profile only ever sees binary16, so that C2,
     * recompiling after a process ran F32 first, still inlines the decoder (measured: otherwise its
     * vectors were boxed, 11 KB per decode step on stories260K).
     */
    private static void widenHalf(MemorySegment cache, long headAt, int stride, int positions, int width,
                                  MemorySegment dst) {
        for (int p = 0; p < positions; p++) {
            long row = headAt + (long) p * stride;
            for (int k = 0; k < width; k += N) {
                Decode.f16(ShortVector.fromMemorySegment(S, cache, (row + k) * Short.BYTES, ORDER))
                        .intoMemorySegment(dst, ((long) p * width + k) * Float.BYTES, ORDER);
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
        float max = Float.NEGATIVE_INFINITY;
        for (int group = 0; group < positions; group += LaneSums.GROUP) {
            int n = Math.min(LaneSums.GROUP, positions - group);
            for (int j = 0; j < n; j++) {
                DecodedTiles.spillDot(keys, (long) (group + j) * width, q, qAt, width, acc, j);
            }
            LaneSums.reduce(acc, 0);
            for (int j = 0; j < n; j++) {
                float score = acc.getAtIndex(FLOAT, j) * scale;
                scores.setAtIndex(FLOAT, group + j, score);
                max = Math.max(max, score);
            }
        }
        float inverse = 1f / VectorMath.expInPlace(scores, positions, max, acc);
        for (int k = 0; k < width; k += N) {
            weightedValues(values, k, width, positions, scores, inverse, out, outAt + k);
        }
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
