package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static io.lpu4j.engine.kernel.Lanes.F;

/**
 * e^x built from adds, multiplies and bit moves only. Why not {@code lanewise(EXP)} or
 * {@code Math.exp}: their results may differ between the interpreter and compiled code (and between
 * JDKs), and the engine promises the same bits for the same input. This is Cephes' expf: x = n·ln2 + r
 * with |r| ≤ ln2/2, a degree-6 polynomial for e^r (about 1 ulp), and 2^n put into the exponent bits.
 * Inputs are clamped to [-87.3, 88]: below, the result is the smallest normal float (1.2e-38) instead
 * of a denormal or 0; above, 1.65e38 instead of infinity. Softmax and SiLU are indifferent to both.
 */
public final class VectorMath {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** Adding then subtracting 1.5 × 2^23 rounds a float of magnitude below 2^22 to an integer. */
    private static final float ROUNDER = 12582912f;

    private VectorMath() {
    }

    public static FloatVector exp(FloatVector x) {
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
        IntVector exponent = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(exponent.reinterpretAsFloats());
    }

    /** x / (1 + e^-x), the SiLU (swish) activation. */
    public static FloatVector silu(FloatVector x) {
        return x.div(exp(x.neg()).add(1f));
    }
}
