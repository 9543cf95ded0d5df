package io.lpu4j.engine.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/** Test data for kernels. */
final class KernelTesting {
    private KernelTesting() {
    }

    /** tokens rows of padded(cols) Gaussian floats, zero beyond cols (the layout kernels expect). */
    static MemorySegment randomActivations(Arena arena, SplittableRandom random, int tokens, int cols) {
        int width = Lanes.padded(cols);
        MemorySegment x = arena.allocate((long) tokens * width * 4, 64);
        for (int t = 0; t < tokens; t++) {
            for (int k = 0; k < cols; k++) {
                x.setAtIndex(ValueLayout.JAVA_FLOAT, (long) t * width + k, (float) random.nextGaussian());
            }
        }
        return x;
    }
}
