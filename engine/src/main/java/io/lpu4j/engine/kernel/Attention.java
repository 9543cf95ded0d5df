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
 * Causal attention of one query head over one key/value head of the cache. Keys and values may be
 * binary16 (widened exactly in registers) or F32; scores, softmax and the weighted sum are F32:
 * softmax over thousands of positions loses too much in half precision, and the scores never
 * leave the worker's scratch, so keeping them F32 costs no bandwidth.
 *
 * <p>Cache layout per kv head: {@code positions × stride} elements, row p holding the head's
 * {@code headDim} values for position p, zero-padded to whole vectors.
 */
public final class Attention {
    private Attention() {
    }

    /**
     * @param q          query in F32 at {@code q[qAt..]}, zero-padded to whole vectors
     * @param keys       key cache; the head's rows start at element {@code headAt}
     * @param positions  how many cached positions to attend to (0..positions-1)
     * @param scores     F32 scratch with room for {@code positions} rounded up to whole vectors
     * @param out        receives the F32 result at {@code out[outAt..outAt + headDim)}
     */
    public static void head(MemorySegment q, long qAt, MemorySegment keys, MemorySegment values, long headAt,
                            int stride, boolean half, int positions, int headDim, float scale,
                            MemorySegment scores, MemorySegment out, long outAt, KernelScratch scratch) {
        MemorySegment acc = scratch.accumulators();
        int width = Lanes.padded(headDim);
        float max = Float.NEGATIVE_INFINITY;
        for (int group = 0; group < positions; group += LaneSums.GROUP) {
            int n = Math.min(LaneSums.GROUP, positions - group);
            for (int j = 0; j < n; j++) {
                long row = headAt + (long) (group + j) * stride;
                if (half) {
                    keyDotHalf(q, qAt, keys, row, width, acc, j);
                } else {
                    DecodedTiles.spillDot(keys, row, q, qAt, width, acc, j);
                }
            }
            LaneSums.reduce(acc);
            for (int j = 0; j < n; j++) {
                float score = acc.getAtIndex(FLOAT, j) * scale;
                scores.setAtIndex(FLOAT, group + j, score);
                max = Math.max(max, score);
            }
        }
        float inverse = 1f / VectorMath.expInPlace(scores, positions, max, acc);
        for (int p = 0; p < positions; p++) {
            scores.setAtIndex(FLOAT, p, scores.getAtIndex(FLOAT, p) * inverse);
        }
        for (int k = 0; k < width; k += N) {
            if (half) {
                weightedValuesHalf(values, headAt + k, stride, positions, scores, out, outAt + k);
            } else {
                weightedValues(values, headAt + k, stride, positions, scores, out, outAt + k);
            }
        }
    }

    private static void keyDotHalf(MemorySegment q, long qAt, MemorySegment keys, long row, int width,
                                   MemorySegment acc, int slot) {
        FloatVector a = FloatVector.zero(F);
        for (int k = 0; k < width; k += N) {
            FloatVector key = Decode.f16(ShortVector.fromMemorySegment(S, keys, (row + k) * Short.BYTES, ORDER));
            a = key.fma(DecodedTiles.load(q, qAt + k), a);
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    /** out[at..at+N) = Σ_p score[p] · values[first + p·stride ..] over one vector of the head. */
    private static void weightedValuesHalf(MemorySegment values, long first, int stride, int positions,
                                           MemorySegment scores, MemorySegment out, long at) {
        FloatVector a = FloatVector.zero(F);
        for (int p = 0; p < positions; p++) {
            FloatVector v = Decode.f16(ShortVector.fromMemorySegment(S, values, (first + (long) p * stride) * Short.BYTES, ORDER));
            a = v.fma(FloatVector.broadcast(F, scores.getAtIndex(FLOAT, p)), a);
        }
        a.intoMemorySegment(out, at * Float.BYTES, ORDER);
    }

    private static void weightedValues(MemorySegment values, long first, int stride, int positions,
                                       MemorySegment scores, MemorySegment out, long at) {
        FloatVector a = FloatVector.zero(F);
        for (int p = 0; p < positions; p++) {
            a = DecodedTiles.load(values, first + (long) p * stride)
                    .fma(FloatVector.broadcast(F, scores.getAtIndex(FLOAT, p)), a);
        }
        a.intoMemorySegment(out, at * Float.BYTES, ORDER);
    }
}
