package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;

/**
 * What the narrow formats (FP8, INT8, BF16) share: rows stored in groups of four, interleaved one
 * vector's worth of elements (N) at a time. Group g holds chunk 0 of rows 4g, 4g+1, 4g+2, 4g+3,
 * then chunk 1 of each, and so on; a last group of one to three rows is interleaved the same way.
 * A group occupies the same bytes as its rows in {@link RowLayout} ({@link #interleave} rearranges
 * them in place), so sizes, shards and slices do not change.
 *
 * <p>Why: the four-row loop then reads one sequential stream, one or two whole cache lines per step,
 * instead of four streams a fraction of a line at a time. With the loop left as written (see
 * {@link #step}), standalone tests on this machine (Zen 5, 2048-column rows, one core, from DRAM)
 * went from 17-21 to 32 GB/s for FP8 (the same ratio in C with gcc -O2) and from 17 to 31 GB/s for
 * BF16; the row-major layout gained nothing from either change alone. F32 stays row-major: its
 * loop does no decoding, and interleaved it measured slower (23-26 against 28-30 GB/s).
 */
public abstract class InterleavedMatrix extends RowMatrix {
    /** Rows per interleaved group: the rows of the one-token loop. */
    static final int GROUP = 4;

    /**
     * The one-token loop's column step (= N), read from an instance field on purpose: with a
     * constant step C2 unrolls the loop eight times and groups each row's eight dependent FMAs,
     * which measured 22 GB/s against 32 GB/s left as written (C2 unrolls counted loops only, and a
     * loop whose step is not a constant is not one).
     */
    final int step = N;

    InterleavedMatrix(MemorySegment data, int rows, int cols, int elementBytes) {
        super(data, rows, cols, elementBytes);
    }

    /** Rows in row r's group: 4, or fewer in the last group. */
    final int groupRows(int r) {
        return Math.min(GROUP, rows - (r & -GROUP));
    }

    /**
     * Element index of row r's first chunk; chunk c of row r starts c·N·{@link #groupRows} elements
     * after it.
     */
    final long rowStart(int r) {
        int first = r & -GROUP;
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
        int rowBytes = stride * elementBytes;
        int chunkBytes = N * elementBytes;
        byte[] rowMajor = new byte[GROUP * rowBytes];
        byte[] grouped = new byte[GROUP * rowBytes];
        for (int first = 0; first < rows; first += GROUP) {
            int groupRows = Math.min(GROUP, rows - first);
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
