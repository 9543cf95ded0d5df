package io.lpu4j.engine.kernel;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InterleavedMatrixTest {
    /** Byte (r, k) of a row-major test matrix: distinct for every position the test reads. */
    private static byte original(int r, int k) {
        return (byte) (r * 61 + k * 7 + 3);
    }

    @Test
    void interleavingMovesEachVectorOfARowToItsPlaceInTheGroup() {
        int rows = 11; // two full groups of four and a last group of three
        int stride = RowLayout.stride(150, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate((long) rows * stride, 64);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < stride; k++) {
                    codes.set(ValueLayout.JAVA_BYTE, (long) r * stride + k, original(r, k));
                }
            }
            InterleavedMatrix.interleave(codes, rows, stride);
            for (int r = 0; r < rows; r++) {
                int first = r / 4 * 4;
                int groupRows = Math.min(4, rows - first);
                for (int k = 0; k < stride; k++) {
                    long at = (long) first * stride + (long) (k / N) * N * groupRows + (long) (r - first) * N + k % N;
                    assertEquals(original(r, k), codes.get(ValueLayout.JAVA_BYTE, at), "row " + r + ", column " + k);
                }
            }
        }
    }

    @Test
    void theMatrixReadsBackTheRowsItWasGiven() {
        int rows = 7;
        int cols = 100;
        int stride = RowLayout.stride(cols, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate((long) rows * stride, 64);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    codes.set(ValueLayout.JAVA_BYTE, (long) r * stride + k, (byte) (original(r, k) % 100));
                }
            }
            InterleavedMatrix.interleave(codes, rows, stride);
            MemorySegment scales = arena.allocate((long) rows * Float.BYTES, 64);
            for (int r = 0; r < rows; r++) {
                scales.setAtIndex(ValueLayout.JAVA_FLOAT, r, 1f);
            }
            Int8Matrix matrix = new Int8Matrix(codes, scales, rows, cols);
            MemorySegment row = arena.allocate((long) Lanes.padded(cols) * Float.BYTES, 64);
            for (int r = 0; r < rows; r++) {
                matrix.readRow(r, row, 0);
                for (int k = 0; k < cols; k++) {
                    assertEquals(original(r, k) % 100, row.getAtIndex(ValueLayout.JAVA_FLOAT, k), 0f, "row " + r + ", column " + k);
                }
            }
        }
    }
}
