package io.lpu4j.engine.kernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;
import static org.junit.jupiter.api.Assertions.assertEquals;

class InterleavedMatrixTest {
    /** Byte (r, k) of a row-major test matrix. */
    private static byte original(int r, int k) {
        return (byte) (r * 61 + k * 7 + 3);
    }

    @ParameterizedTest
    @CsvSource({"1, 150, ROW_BY_ROW", "2, 150, ROW_BY_ROW", "1, 3150, ROW_BY_ROW", "2, 1900, ROW_BY_ROW",
            "1, 150, COLUMN_BY_COLUMN", "1, 3150, COLUMN_BY_COLUMN"})
    void interleavingMovesEachVectorOfARowToItsPlaceInTheGroup(int elementBytes, int cols, InterleavedMatrix.GroupOrder order) {
        int rows = 11; // two groups of four and a last group of three
        int stride = RowLayout.stride(cols, elementBytes);
        int rowBytes = stride * elementBytes;
        int chunkBytes = N * elementBytes;
        // 150 columns: one panel; 3150 one-byte or 1900 two-byte columns: two panels
        int panelWidth = InterleavedMatrix.panelWidth(stride, elementBytes, InterleavedMatrix.PANEL_UNIT);
        assertEquals(cols > 1000 ? 2 : 1, (stride + panelWidth - 1) / panelWidth);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate((long) rows * rowBytes, 64);
            for (int r = 0; r < rows; r++) {
                for (int b = 0; b < rowBytes; b++) {
                    data.set(ValueLayout.JAVA_BYTE, (long) r * rowBytes + b, original(r, b));
                }
            }
            InterleavedMatrix.interleave(data, rows, stride, elementBytes, InterleavedMatrix.PANEL_UNIT, order);
            for (int r = 0; r < rows; r++) {
                int group = 4;
                int first = r / group * group;
                int groupRows = Math.min(group, rows - first);
                for (int b = 0; b < rowBytes; b++) {
                    // panel p holds columns [p·W, (p+1)·W) of every row, grouped as a matrix of its own
                    int p = b / elementBytes / panelWidth;
                    int panelStart = p * panelWidth * elementBytes;
                    int panelBytes = Math.min(panelWidth * elementBytes, rowBytes - panelStart);
                    int c = b - panelStart;
                    long groupAt = (long) rows * panelStart + (long) first * panelBytes;
                    // a whole group column by column: the four rows' bytes of column c, then of c + 1
                    long at = order == InterleavedMatrix.GroupOrder.COLUMN_BY_COLUMN && groupRows == group
                            ? groupAt + (long) c * group + (r - first)
                            : groupAt + (long) (c / chunkBytes) * chunkBytes * groupRows + (long) (r - first) * chunkBytes + c % chunkBytes;
                    assertEquals(original(r, b), data.get(ValueLayout.JAVA_BYTE, at), "row " + r + ", byte " + b);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 3150})
    void theMatrixReadsBackTheRowsItWasGiven(int cols) {
        int rows = 7;
        int stride = RowLayout.stride(cols, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate((long) rows * stride, 64);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    codes.set(ValueLayout.JAVA_BYTE, (long) r * stride + k, (byte) (original(r, k) % 100));
                }
            }
            InterleavedMatrix.interleave(codes, rows, stride, 1, InterleavedMatrix.PANEL_UNIT, InterleavedMatrix.GroupOrder.ROW_BY_ROW);
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
