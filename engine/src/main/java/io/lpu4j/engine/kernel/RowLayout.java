package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;

/**
 * How weight rows sit in memory for the kernels: each row starts on a 64-byte boundary (a cache
 * line, and one AVX-512 load), and the gap after its last column is zero. Kernels can then load
 * whole vectors without tail masks, and padding contributes exact zeros.
 */
public final class RowLayout {
    public static final int ALIGNMENT = 64;

    private RowLayout() {
    }

    /** Elements from one row to the next, for {@code cols} elements of {@code elementBytes} each. */
    public static int stride(int cols, int elementBytes) {
        long bytes = (long) cols * elementBytes;
        return Math.toIntExact((bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT / elementBytes);
    }

    /** Bytes of a [rows × cols] matrix in this layout. */
    public static long bytes(int rows, int cols, int elementBytes) {
        return (long) rows * stride(cols, elementBytes) * elementBytes;
    }

    static void check(MemorySegment data, int rows, int stride, int elementBytes) {
        long expected = (long) rows * stride * elementBytes;
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("weight segment holds " + data.byteSize() + " bytes, expected "
                    + rows + " rows × " + stride + " × " + elementBytes);
        }
    }
}
