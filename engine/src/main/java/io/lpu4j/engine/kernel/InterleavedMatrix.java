package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;

/**
 * What the narrow formats (FP8, INT8, BF16) share: rows stored in groups of four ({@link #GROUP}),
 * interleaved one vector's worth of elements (N) at a time. A group starting at row r holds chunk 0
 * of rows r, r+1, r+2, r+3, then chunk 1 of each, and so on; a shorter last group is interleaved the
 * same way. A group occupies the same bytes as its rows in {@link RowLayout} ({@link #interleave}
 * rearranges them in place), so sizes, shards and slices do not change. The one-token loops stream
 * two whole groups at once, one from each half of the row range ({@link RowMatrix#multiplyOneToken}).
 *
 * <p>Why: each group is then one sequential stream, whole cache lines per step, instead of one
 * stream per row a fraction of a line at a time. With the loop left as written (see {@link #step}),
 * standalone tests on this machine (Zen 5, 2048-column rows, one core, from DRAM) went from 17-21
 * to 32 GB/s for FP8 (the same ratio in C with gcc -O2) and from 17 to 31 GB/s for BF16; the
 * row-major layout gained nothing from either change alone. Two groups per loop: one load of the
 * input serves eight rows, which matters for long rows (5632 columns are 22 KB of F32 input, which
 * the weights streaming through the 48 KB L1 keep evicting), and two streams far apart keep more
 * memory requests in flight than one. Groups of four, not eight, so the two-stream loop needs only
 * eight accumulators: with sixteen (two groups of eight) C2 ran short of vector registers in some
 * compilations, re-loaded a constant for every load and re-checked the segment inside the loop
 * (TinyLlama FP8 decode on two threads: 23-27 tok/s in those runs, 35-49 in the others). F32 stays
 * row-major: its loop does no decoding, and interleaved it measured slower (23-26 against 28-30
 * GB/s).
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
    public static final int GROUP = 4;

    InterleavedMatrix(MemorySegment data, int rows, int cols, int elementBytes, float[] oneTokenScales) {
        super(data, rows, cols, elementBytes, oneTokenScales);
    }

    @Override
    final boolean streamsTwoGroups() {
        return true;
    }

    /** Rows in row r's group: {@link #GROUP}, or fewer in the last group. */
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
