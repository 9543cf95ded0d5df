package io.lpu4j.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;

/** Synthetic tensors and the shared test data. */
final class TestTensors {
    static final Path MEMORY = Path.of("in-memory");

    private TestTensors() {
    }

    /** The read-only shared data directory the build passes in ({@code lpu4j.shared}). */
    static Path shared() {
        String dir = System.getProperty("lpu4j.shared");
        if (dir == null) {
            throw new IllegalStateException("system property lpu4j.shared is not set (run through Maven)");
        }
        return Path.of(dir);
    }

    static Path stories260K() {
        return shared().resolve("models/stories260K");
    }

    /** An F32 tensor in native memory (little-endian, as in a safetensors file). */
    static TensorView f32(String name, float[] values, long... shape) {
        MemorySegment data = Arena.ofAuto().allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, data, ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN), 0, values.length);
        return new TensorView(name, DType.F32, shape, data, MEMORY);
    }

    /** Standard normal values from a fixed seed. */
    static float[] gaussian(long seed, int n) {
        Random random = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    /** Gaussian rows, row r multiplied by 10^u with u uniform in [-decades, 0]: rows of very different scales. */
    static float[] rowsOfDifferentScales(long seed, int rows, int cols, double decades) {
        float[] x = gaussian(seed, rows * cols);
        Random random = new Random(seed + 1);
        for (int r = 0; r < rows; r++) {
            float rowScale = (float) Math.pow(10, -decades * random.nextDouble());
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] *= rowScale;
            }
        }
        return x;
    }

    static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }
}
