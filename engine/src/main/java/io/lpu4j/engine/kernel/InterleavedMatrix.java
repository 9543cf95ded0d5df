package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;

/**
 * What the narrow formats (FP8, INT8, BF16) share: rows stored in groups ({@link #groupSize}: eight
 * rows of one-byte codes, four of BF16), interleaved one vector's worth of elements (N) at a time.
 * A group of four starting at row r holds chunk 0 of rows r, r+1, r+2, r+3, then chunk 1 of each,
 * and so on; a shorter last group is interleaved the same way. A group occupies the same bytes as
 * its rows in {@link RowLayout} ({@link #interleave} rearranges them in place), so sizes, shards
 * and slices do not change. The one-token loop streams one whole group.
 *
 * <p>Why: that loop then reads one sequential stream, whole cache lines per step, instead of one
 * stream per row a fraction of a line at a time. With the loop left as written (see {@link #step}),
 * standalone tests on this machine (Zen 5, 2048-column rows, one core, from DRAM) went from 17-21
 * to 32 GB/s for FP8 with groups of four (the same ratio in C with gcc -O2) and from 17 to 31 GB/s
 * for BF16; the row-major layout gained nothing from either change alone. Eight rows for one-byte
 * codes: one load of the input serves twice the weights, which matters for long rows (5632 columns
 * are 22 KB of F32 input, which the weights streaming through the 48 KB L1 keep evicting): FP8 with
 * such rows went from 17 to 25 GB/s on one core and from 29-34 to 41-46 GB/s on two, and 2048-column
 * rows did not change. F32 stays row-major: its loop does no decoding, and interleaved it measured
 * slower (23-26 against 28-30 GB/s).
 */
public abstract class InterleavedMatrix extends RowMatrix {
    /**
     * The one-token loop's column step (= N), read from an instance field on purpose: with a
     * constant step C2 unrolls the loop eight times and groups each row's eight dependent FMAs,
     * which measured 22 GB/s against 32 GB/s left as written (C2 unrolls counted loops only, and a
     * loop whose step is not a constant is not one).
     */
    final int step = N;

    /** Rows per interleaved group. */
    final int group;

    InterleavedMatrix(MemorySegment data, int rows, int cols, int elementBytes, float[] oneTokenScales) {
        super(data, rows, cols, elementBytes, oneTokenScales);
        this.group = groupSize(elementBytes);
    }

    /** Rows per interleaved group for elements of this many bytes: 8 for one-byte codes, else 4. */
    public static int groupSize(int elementBytes) {
        return elementBytes == 1 ? 8 : 4;
    }

    /** Rows in row r's group: {@link #group}, or fewer in the last group. */
    final int groupRows(int r) {
        return Math.min(group, rows - (r & -group));
    }

    /**
     * Element index of row r's first chunk; chunk c of row r starts c·N·{@link #groupRows} elements
     * after it.
     */
    final long rowStart(int r) {
        int first = r & -group;
        return (long) first * stride + (long) (r - first) * N;
    }

    /** Element index of (r, k). */
    final long index(int r, int k) {
        return rowStart(r) + (long) (k - k % N) * groupRows(r) + k % N;
    }

    /**
     * Rearranges {@code rows} rows of {@code elementBytes}-byte elements from {@link RowLayout}
     * ({@code stride} elements each) into this layout, in place.
     */
    public static void interleave(MemorySegment data, int rows, int stride, int elementBytes) {
        if (stride % N != 0) {
            throw new IllegalArgumentException("stride " + stride + " is not a multiple of " + N);
        }
        int group = groupSize(elementBytes);
        int rowBytes = stride * elementBytes;
        int chunkBytes = N * elementBytes;
        byte[] rowMajor = new byte[group * rowBytes];
        byte[] grouped = new byte[group * rowBytes];
        for (int first = 0; first < rows; first += group) {
            int groupRows = Math.min(group, rows - first);
            int bytes = groupRows * rowBytes;
            long at = (long) first * rowBytes;
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, rowMajor, 0, bytes);
            for (int i = 0; i < groupRows; i++) {
                for (int c = 0; c < rowBytes; c += chunkBytes) {
                    System.arraycopy(rowMajor, i * rowBytes + c, grouped, c * groupRows + i * chunkBytes, chunkBytes);
                }
            }
            MemorySegment.copy(grouped, 0, data, ValueLayout.JAVA_BYTE, at, bytes);
        }
    }
}
