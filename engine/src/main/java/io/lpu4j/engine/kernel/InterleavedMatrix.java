package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;

/**
 * What the one-byte formats (FP8, INT8) share: rows stored in groups of four, interleaved one
 * vector of codes (N bytes) at a time. Group g holds chunk 0 of rows 4g, 4g+1, 4g+2, 4g+3, then
 * chunk 1 of each, and so on; a last group of one to three rows is interleaved the same way. A
 * group occupies the same bytes as its rows in {@link RowLayout} ({@link #interleave} rearranges
 * them in place), so sizes, shards and slices do not change.
 *
 * <p>Why: the four-row loop then reads one sequential stream, one whole cache line per step, instead
 * of four streams a quarter line at a time. With its loop left as written (see {@link #step}) this
 * doubled one core's FP8 rate from DRAM in a standalone test on this machine (Zen 5, 2048-column
 * rows: 32 GB/s against 17-21 GB/s row by row; the same ratio in C with gcc -O2), and the row-major
 * layout gained nothing from either change alone. The bench suite's kernel tables measure it.
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

    InterleavedMatrix(MemorySegment codes, int rows, int cols) {
        super(codes, rows, cols, 1);
    }

    /** Rows in row r's group: 4, or fewer in the last group. */
    final int groupRows(int r) {
        return Math.min(GROUP, rows - (r & -GROUP));
    }

    /** Byte offset of row r's first chunk; chunk c of row r lies c·N·{@link #groupRows} bytes after it. */
    final long rowStart(int r) {
        int first = r & -GROUP;
        return (long) first * stride + (long) (r - first) * N;
    }

    /** The code of element (r, k). */
    final byte code(int r, int k) {
        return data.get(ValueLayout.JAVA_BYTE, rowStart(r) + (long) (k - k % N) * groupRows(r) + k % N);
    }

    /**
     * Rearranges {@code rows} rows of one-byte codes from {@link RowLayout} (stride bytes each) into
     * this layout, in place.
     */
    public static void interleave(MemorySegment codes, int rows, int stride) {
        if (stride % N != 0) {
            throw new IllegalArgumentException("stride " + stride + " is not a multiple of " + N);
        }
        byte[] rowMajor = new byte[GROUP * stride];
        byte[] grouped = new byte[GROUP * stride];
        for (int first = 0; first < rows; first += GROUP) {
            int groupRows = Math.min(GROUP, rows - first);
            int bytes = groupRows * stride;
            long at = (long) first * stride;
            MemorySegment.copy(codes, ValueLayout.JAVA_BYTE, at, rowMajor, 0, bytes);
            for (int i = 0; i < groupRows; i++) {
                for (int c = 0; c < stride; c += N) {
                    System.arraycopy(rowMajor, i * stride + c, grouped, c * groupRows + i * N, N);
                }
            }
            MemorySegment.copy(grouped, 0, codes, ValueLayout.JAVA_BYTE, at, bytes);
        }
    }
}
