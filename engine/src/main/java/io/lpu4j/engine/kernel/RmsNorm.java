package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * RMSNorm, in F32 throughout: the residual stream it reads is F32, and 1/rms is computed in double
 * from the F32 sum of squares (as the reference does). Only the result is rounded to the activation
 * type, because that is what the next matrix multiply consumes.
 */
public final class RmsNorm {
    private RmsNorm() {
    }

    /**
     * dst[i] = round(weight[i] · (x[i] / sqrt(mean(x²) + eps))) for i < n; dst is zero-padded to whole
     * vectors. {@code x} and {@code dst} rows start on vector boundaries and have room for padded(n).
     */
    public static void normalize(MemorySegment x, long xAt, MemorySegment weight, int n, float eps,
                                 boolean roundToHalf, MemorySegment dst, long dstAt) {
        FloatVector sum = FloatVector.zero(F);
        int width = Lanes.padded(n);
        for (int k = 0; k < width; k += N) {
            FloatVector v = Decode.f32(x, xAt + k);
            sum = v.fma(v, sum);
        }
        // Spill the accumulator into dst (overwritten below) and fold it there: see LaneSums.
        sum.intoMemorySegment(dst, dstAt * Float.BYTES, ORDER);
        float inverseRms = (float) (1.0 / Math.sqrt(LaneSums.fold(dst, dstAt) / n + eps));
        for (int i = 0; i < n; i++) {
            float value = weight.getAtIndex(FLOAT, i) * (inverseRms * x.getAtIndex(FLOAT, xAt + i));
            dst.setAtIndex(FLOAT, dstAt + i, Activations.round(roundToHalf, value));
        }
        for (int i = n; i < width; i++) {
            dst.setAtIndex(FLOAT, dstAt + i, 0f);
        }
    }
}
