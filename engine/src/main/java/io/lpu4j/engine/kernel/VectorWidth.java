package io.lpu4j.engine.kernel;

import io.lpu4j.engine.UnsupportedMachineException;
import jdk.incubator.vector.FloatVector;

/**
 * The kernels put one FP8/INT8 weight in each float lane, so a float vector of N lanes pairs with a
 * byte vector of N × 8 bits; the Vector API's smallest byte vector is 64 bits, so float vectors must
 * be 256 bits at least (x86 with AVX2 or AVX-512). 128-bit machines (SSE-only x86, ARM NEON) are
 * refused with one line when {@link Lanes} is first used, instead of a bad shape deep inside it.
 */
public final class VectorWidth {
    static final int MINIMUM_BITS = 256;

    private VectorWidth() {
    }

    /** Throws {@link UnsupportedMachineException} unless this JVM's preferred vectors are wide enough. */
    public static void require() {
        require(FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }

    static void require(int preferredBits) {
        if (preferredBits < MINIMUM_BITS) {
            throw new UnsupportedMachineException("this JVM's vectors are " + preferredBits
                    + " bits wide (jdk.incubator.vector's preferred shape); lpu4j's kernels need at least "
                    + MINIMUM_BITS + " (x86-64 with AVX2 or AVX-512; check -XX:UseAVX and -XX:MaxVectorSize)");
        }
    }
}
