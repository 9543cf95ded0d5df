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
     * @param scores     F32 scratch with room for {@code positions} (rounded up to whole vectors)
     * @param out        receives the F32 result at {@code out[outAt..outAt + headDim)}
     */
    public static void head(MemorySegment q, long qAt, MemorySegment keys, MemorySegment values, long headAt,
                            int stride, boolean half, int positions, int headDim, float scale,
                            MemorySegment scores, MemorySegment out, long outAt) {
        int width = Lanes.padded(headDim);
        float max = Float.NEGATIVE_INFINITY;
        for (int p = 0; p < positions; p++) {
            long row = headAt + (long) p * stride;
            FloatVector acc = FloatVector.zero(F);
            for (int k = 0; k < width; k += N) {
                acc = load(keys, row + k, half).fma(DecodedTiles.load(q, qAt + k), acc);
            }
            float score = Lanes.sum(acc) * scale;
            scores.setAtIndex(FLOAT, p, score);
            max = Math.max(max, score);
        }
        softmax(scores, positions, max);
        for (int k = 0; k < width; k += N) {
            FloatVector acc = FloatVector.zero(F);
            for (int p = 0; p < positions; p++) {
                acc = load(values, headAt + (long) p * stride + k, half)
                        .fma(FloatVector.broadcast(F, scores.getAtIndex(FLOAT, p)), acc);
            }
            acc.intoMemorySegment(out, (outAt + k) * Float.BYTES, ORDER);
        }
    }

    /** In place: e^(s - max) / Σ, the sum taken in a fixed order. Padding lanes are zeroed first. */
    private static void softmax(MemorySegment scores, int n, float max) {
        int width = Lanes.padded(n);
        for (int p = n; p < width; p++) {
            scores.setAtIndex(FLOAT, p, Float.NEGATIVE_INFINITY);
        }
        FloatVector sum = FloatVector.zero(F);
        for (int p = 0; p < width; p += N) {
            FloatVector e = VectorMath.exp(DecodedTiles.load(scores, p).sub(max));
            e = e.blend(0f, F.indexInRange(p, n).not());
            e.intoMemorySegment(scores, (long) p * Float.BYTES, ORDER);
            sum = sum.add(e);
        }
        float inverse = 1f / Lanes.sum(sum);
        for (int p = 0; p < width; p += N) {
            DecodedTiles.load(scores, p).mul(inverse).intoMemorySegment(scores, (long) p * Float.BYTES, ORDER);
        }
    }

    private static FloatVector load(MemorySegment cache, long element, boolean half) {
        return half ? Decode.f16(ShortVector.fromMemorySegment(S, cache, element * Short.BYTES, ORDER))
                : DecodedTiles.load(cache, element);
    }
}
