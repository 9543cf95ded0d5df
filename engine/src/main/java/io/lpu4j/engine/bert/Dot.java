package io.lpu4j.engine.bert;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one inner loop of the encoder: a float dot product, on eight SIMD lanes. A plain loop is bound
 * by the latency of each float add (Java may not reorder float sums) and makes the reference about
 * three times slower.
 *
 * <p>The summation order is fixed, so results are the same on every run and every machine: always
 * eight lanes (emulated where the CPU has no 256-bit vectors), each lane an exactly rounded
 * fused multiply-add chain, and the lanes summed left to right. {@code reduceLanes(ADD)} is avoided
 * because its order is unspecified: interpreted and compiled code sum differently, which made the
 * output change from run to run in the last bits.
 */
final class Dot {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_256;

    private Dot() {
    }

    /** Σ a[aFrom + i] · b[bFrom + i] for i in [0, n). */
    static float dot(float[] a, int aFrom, float[] b, int bFrom, int n) {
        FloatVector lanes = FloatVector.zero(SPECIES);
        int i = 0;
        for (int bound = SPECIES.loopBound(n); i < bound; i += SPECIES.length()) {
            FloatVector x = FloatVector.fromArray(SPECIES, a, aFrom + i);
            FloatVector y = FloatVector.fromArray(SPECIES, b, bFrom + i);
            lanes = x.fma(y, lanes);
        }
        float sum = 0;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            sum += lanes.lane(lane);
        }
        for (; i < n; i++) {
            sum += a[aFrom + i] * b[bFrom + i];
        }
        return sum;
    }
}
