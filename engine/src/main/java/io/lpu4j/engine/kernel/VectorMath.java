package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * e^x over memory, built from adds, multiplies and bit moves only. Why not {@code lanewise(EXP)} or
 * {@code Math.exp}: their results may differ between the interpreter and compiled code (and between
 * JDKs), and the engine promises the same bits for the same input. This is Cephes' expf: x = n·ln2 + r
 * with |r| ≤ ln2/2, a degree-6 polynomial for e^r (about 1 ulp), and 2^n put into the exponent bits.
 * Inputs are clamped to [-87.3, 88]: below, the result is the smallest normal float (1.2e-38) instead
 * of a denormal or 0; above, 1.65e38 instead of infinity. Softmax and SiLU are indifferent to both.
 *
 * <p>The entry points take memory, not vectors, and keep the polynomial inside their own loop, so no
 * vector ever crosses a call C2 might decline to inline (it would be boxed on the heap).
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** Adding then subtracting 1.5 × 2^23 rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUNDER = 12582912f;

    private VectorMath() {
    }

    /**
     * values[i] = e^(values[i] - shift) for i < count; returns their sum, taken lane-wise then folded
     * (the {@link LaneSums} order). {@code values} must have room for count rounded up to whole
     * vectors; {@code spill} is N floats of scratch.
     */
    public static float expInPlace(MemorySegment values, long count, float shift, MemorySegment spill) {
        return apply(values, null, count, shift, false, spill);
    }

    /** a[i] = SiLU(a[i]) × b[i] = a[i] / (1 + e^-a[i]) × b[i], for i < count (both with room for whole vectors). */
    public static void siluTimes(MemorySegment a, MemorySegment b, long count) {
        apply(a, b, count, 0f, true, null);
    }

    /**
     * Runs over whole vectors up to padded(count): the buffers have room for it (callers guarantee),
     * lanes past {@code count} are computed and ignored, and only the softmax sum masks them out, once.
     * Why: a mask in every iteration made these loops ~4× slower.
     */
    private static float apply(MemorySegment a, MemorySegment b, long count, float shift, boolean silu,
                               MemorySegment spill) {
        long whole = count - count % N;
        VectorMask<Float> tail = F.indexInRange(whole, count);
        FloatVector sum = FloatVector.zero(F);
        for (long i = 0; i < count; i += N) {
            FloatVector v = FloatVector.fromMemorySegment(F, a, i * Float.BYTES, ORDER);
            FloatVector x = silu ? v.neg() : v.sub(shift);

            x = x.max(-87.33654f).min(88f);
            FloatVector n = x.mul(LOG2E).add(ROUNDER).sub(ROUNDER);
            FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HIGH), x);
            r = n.fma(FloatVector.broadcast(F, -LN2_LOW), r);
            FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
            p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
            p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
            p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
            p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
            p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
            p = p.mul(r.mul(r)).add(r).add(1f);
            IntVector exponent = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127)
                    .lanewise(VectorOperators.LSHL, 23);
            FloatVector e = p.mul(exponent.reinterpretAsFloats());

            if (silu) {
                FloatVector u = FloatVector.fromMemorySegment(F, b, i * Float.BYTES, ORDER);
                v.div(e.add(1f)).mul(u).intoMemorySegment(a, i * Float.BYTES, ORDER);
            } else {
                if (i >= whole) {
                    e = e.blend(0f, tail.not());
                }
                e.intoMemorySegment(a, i * Float.BYTES, ORDER);
                sum = sum.add(e);
            }
        }
        if (silu) {
            return 0f;
        }
        sum.intoMemorySegment(spill, 0, ORDER);
        return LaneSums.fold(spill, 0);
    }
}
