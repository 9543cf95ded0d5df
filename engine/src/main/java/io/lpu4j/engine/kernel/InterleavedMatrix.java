package io.lpu4j.engine.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.N;

/**
 * What the narrow formats (FP8, INT8, BF16) share: rows stored in groups of four ({@link #GROUP}),
 * interleaved one vector's worth of elements (N) at a time. A group starting at row r holds chunk 0
 * of rows r, r+1, r+2, r+3, then chunk 1 of each, and so on; a shorter last group is interleaved the
 * same way. FP8's whole groups hold each chunk column by column instead ({@link GroupOrder}). A
 * matrix occupies the same bytes as its rows in {@link RowLayout} ({@link #interleave} rearranges
 * them in place), so sizes, shards and slices do not change; with one panel (below), so does each
 * group. The one-token loops stream two whole groups at once, one from each half of the row range
 * ({@link RowMatrix#multiplyOneToken}).
 *
 * <p>Why: each group is then one sequential stream, whole cache lines per step, instead of one
 * stream per row a fraction of a line at a time. With the loop left as written (see {@link #step}),
 * standalone tests on this machine (Zen 5, 2048-column rows, one core, from DRAM) went from 17-21
 * to 32 GB/s for FP8 (the same ratio in C with gcc -O2) and from 17 to 31 GB/s for BF16; the
 * row-major layout gained nothing from either change alone. Two groups per loop: one load of the
 * input serves eight rows, and two streams far apart keep more memory requests in flight than one.
 * Long rows are stored as column panels, each panel a matrix of its own in this layout
 * ({@link #panelWidth}), so that the input a pass reads stays in L1. Groups of four, not eight, so the two-stream loop needs only
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

    /**
     * How a whole group holds one chunk (N columns) of its four rows. A shorter last group is always
     * {@link #ROW_BY_ROW}.
     */
    public enum GroupOrder {
        /** Row r's N elements, then row r + 1's, and so on (BF16, INT8). */
        ROW_BY_ROW,
        /**
         * One-byte codes column by column: the group's four codes of column k, then of k + 1, so
         * byte i of int lane j is row i's code in column j (FP8). Why: the one-token loop then loads
         * a whole chunk as one vector and splits it into the four rows' FP32 bit patterns with
         * shifts and masks ({@link Fp8Matrix#dotTwoFours}), where row by row each row's sixteen
         * bytes took a widening load (vpmovsxbd). Standalone (Zen 5, FP8 two-stream loop, same
         * bits): in cache 65 against 45 weights/ns on one core, 125 against 88 on two; 2048×2048 over
         * 256 MiB on two cores 67–70 against 59–65 GB/s.
         */
        COLUMN_BY_COLUMN;

        /** Refuses elements this order cannot hold. */
        void check(int elementBytes) {
            if (this == COLUMN_BY_COLUMN && elementBytes != 1) {
                throw new IllegalArgumentException("column-by-column groups hold one-byte codes, not " + elementBytes
                        + "-byte elements");
            }
        }
    }

    /**
     * L1 bytes one pass of the two-stream loop may touch over one panel: the input's F32 columns
     * plus two groups' weights for the same columns (see {@link #panelWidth}). Zen 5's L1 holds
     * 48 KB; the rest is left for the accumulators and the output.
     */
    private static final int PANEL_BYTES = 36 * 1024;
    /**
     * Panel widths are whole multiples of this many elements, so panels start on cache lines; a
     * block-scaled matrix's panels are whole multiples of its block ({@link Fp8BlockMatrix}).
     */
    static final int PANEL_UNIT = RowLayout.ALIGNMENT;

    /** Columns per panel (the last panel holds the rest of the stride). */
    private final int panelWidth;
    private final int panels;
    private final GroupOrder order;

    InterleavedMatrix(MemorySegment data, int rows, int cols, int elementBytes, float[] oneTokenScales,
                      GroupOrder order) {
        this(data, rows, cols, elementBytes, oneTokenScales, PANEL_UNIT, order);
    }

    /** With panels whole multiples of {@code panelUnit} columns (a multiple of {@link #PANEL_UNIT}). */
    InterleavedMatrix(MemorySegment data, int rows, int cols, int elementBytes, float[] oneTokenScales, int panelUnit,
                      GroupOrder order) {
        super(data, rows, cols, elementBytes, oneTokenScales);
        order.check(elementBytes);
        this.panelWidth = panelWidth(stride, elementBytes, panelUnit);
        this.panels = (stride + panelWidth - 1) / panelWidth;
        this.order = order;
    }

    /**
     * Columns per panel for rows of {@code stride} elements: the whole row when a pass over it fits
     * {@link #PANEL_BYTES}, else the row cut into equal panels that do.
     *
     * <p>Why panels: the two-stream loop reads the input once per eight rows, so between two reads of
     * the same input element it streams eight rows' weights through L1. For 5632-column FP8 rows
     * that is 45 KB of weights beside 22 KB of input, more than the 48 KB L1, so every input load
     * missed L1. Two panels of 2816 columns (11 KB of input, 22 KB of weights per pass) keep the
     * input in L1: standalone on this machine (FP8 2048×5632 over 256 MiB, one core) 36 against 30
     * GB/s, two cores 45–47 against 41–42; JMH {@code MatVecBenchmark} (FP8_CHANNEL 2048×5632,
     * single forks taking turns, products/s) one thread 2538–2672 against 1981–2170, two threads
     * 7274–7727 against 6255–6697; the one-panel 5632×2048 and BF16 (two or four panels) measured
     * the same as before. Cutting the rows without moving them (a column block of each group, then
     * the next group) measured 11 GB/s: the hardware prefetcher needs each panel to be one long run
     * of memory, hence a layout.
     */
    static int panelWidth(int stride, int elementBytes, int unit) {
        if (unit <= 0 || unit % PANEL_UNIT != 0) {
            throw new IllegalArgumentException("panel unit must be a positive multiple of " + PANEL_UNIT + ", got " + unit);
        }
        int widest = Math.max(unit, PANEL_BYTES / (Float.BYTES + 2 * GROUP * elementBytes) / unit * unit);
        int panels = (stride + widest - 1) / widest;
        int width = (stride + panels - 1) / panels;
        return (width + unit - 1) / unit * unit;
    }

    @Override
    final int panels() {
        return panels;
    }

    @Override
    final int panelStart(int p) {
        return p * panelWidth;
    }

    @Override
    final int panelColumns(int p) {
        return Math.max(0, Math.min(panelWidth, Lanes.padded(cols) - p * panelWidth));
    }

    /** Elements in panel p of each row, padding included. */
    private int storedWidth(int p) {
        return storedWidth(stride, panelWidth, p * panelWidth);
    }

    /** Elements of a row of {@code stride} in the panel starting at column {@code start}: the last panel holds the rest. */
    private static int storedWidth(int stride, int panelWidth, int start) {
        return Math.min(panelWidth, stride - start);
    }

    /**
     * Float index where slot {@code slot}'s accumulator starts a one-token loop over panel p: the
     * scratch's zeros ({@link KernelScratch#ZERO_SLOT}) in the first panel, what the loop over the
     * panel before left in the slot after it ({@link RowMatrix#dotPair}). Why an address and not a
     * zero vector: a vector chosen by a condition (zero or loaded) was boxed by C2 in some
     * compilations, as in the prefill tiles ({@link DecodedTiles}): INT8 decode of stories260K
     * allocated 87 KB per step when it ran after the other formats in one process (3 of 3 runs).
     * The zeros are read, never written, so no slot needs clearing before a chunk.
     */
    static long startOf(int slot, int p) {
        return (long) (p == 0 ? KernelScratch.ZERO_SLOT : slot) * N;
    }

    @Override
    final boolean streamsTwoGroups() {
        return true;
    }

    /** Rows in row r's group: {@link #GROUP}, or fewer in the last group. */
    final int groupRows(int r) {
        return Math.min(GROUP, rows - (r & -GROUP));
    }

    /** True if row r's group is whole and {@link GroupOrder#COLUMN_BY_COLUMN}. */
    private boolean columnByColumn(int r) {
        return order == GroupOrder.COLUMN_BY_COLUMN && groupRows(r) == GROUP;
    }

    /**
     * Element index of row r's first chunk in panel p; chunk c of row r there starts
     * c·N·{@link #groupRows} elements after it. In a column-by-column group, the group's chunk:
     * row r's codes are its bytes {@link #byteShift}-selected.
     */
    final long rowStart(int r, int p) {
        int first = r & -GROUP;
        long group = (long) rows * p * panelWidth + (long) first * storedWidth(p);
        return columnByColumn(r) ? group : group + (long) (r - first) * N;
    }

    /**
     * For {@link Decode#codes}: 24 − 8·(row r's place in its group) in a column-by-column group (the
     * left shift that brings its byte to the top of each int lane), −1 where the row's N codes lie
     * one after another.
     */
    final int byteShift(int r) {
        return columnByColumn(r) ? 24 - 8 * (r & (GROUP - 1)) : -1;
    }

    /** Element index of (r, k). */
    final long index(int r, int k) {
        int p = k / panelWidth;
        int c = k - p * panelWidth;
        if (columnByColumn(r)) {
            return rowStart(r, p) + (long) c * GROUP + (r & (GROUP - 1));
        }
        return rowStart(r, p) + (long) (c - c % N) * groupRows(r) + c % N;
    }

    /**
     * Rearranges {@code rows} rows of {@code elementBytes}-byte elements from {@link RowLayout}
     * ({@code stride} elements each) into this layout, in place, panels whole multiples of
     * {@code panelUnit} columns and whole groups in {@code order} (as the matrix reading them is
     * built with).
     */
    public static void interleave(MemorySegment data, int rows, int stride, int elementBytes, int panelUnit,
                                  GroupOrder order) {
        order.check(elementBytes);
        if (stride % N != 0) {
            throw new IllegalArgumentException("stride " + stride + " is not a multiple of " + N);
        }
        int width = panelWidth(stride, elementBytes, panelUnit);
        if (width >= stride) {
            interleavePanel(data, data, rows, stride, 0, stride, elementBytes, order);
            return;
        }
        // Panels move rows across the whole matrix: gather from a copy. Shared, like the engine's
        // own memory (see KernelWarmUp on why the kind of arena matters).
        try (Arena copy = Arena.ofShared()) {
            MemorySegment rowMajor = copy.allocate(data.byteSize(), RowLayout.ALIGNMENT).copyFrom(data);
            for (int start = 0; start < stride; start += width) {
                interleavePanel(rowMajor, data.asSlice((long) rows * start * elementBytes), rows, stride,
                        start, storedWidth(stride, width, start), elementBytes, order);
            }
        }
    }

    /** Columns [start, start + width) of every row of {@code rowMajor}, as groups into {@code panel}. */
    private static void interleavePanel(MemorySegment rowMajor, MemorySegment panel, int rows, int stride, int start,
                                        int width, int elementBytes, GroupOrder order) {
        int rowBytes = stride * elementBytes;
        int panelBytes = width * elementBytes;
        int chunkBytes = N * elementBytes;
        byte[] group = new byte[GROUP * panelBytes];
        byte[] grouped = new byte[GROUP * panelBytes];
        for (int first = 0; first < rows; first += GROUP) {
            int groupRows = Math.min(GROUP, rows - first);
            for (int i = 0; i < groupRows; i++) {
                MemorySegment.copy(rowMajor, ValueLayout.JAVA_BYTE, (long) (first + i) * rowBytes + (long) start * elementBytes,
                        group, i * panelBytes, panelBytes);
            }
            if (order == GroupOrder.COLUMN_BY_COLUMN && groupRows == GROUP) {
                for (int i = 0; i < GROUP; i++) {
                    for (int k = 0; k < panelBytes; k++) {
                        grouped[k * GROUP + i] = group[i * panelBytes + k];
                    }
                }
            } else {
                for (int i = 0; i < groupRows; i++) {
                    for (int c = 0; c < panelBytes; c += chunkBytes) {
                        System.arraycopy(group, i * panelBytes + c, grouped, c * groupRows + i * chunkBytes, chunkBytes);
                    }
                }
            }
            MemorySegment.copy(grouped, 0, panel, ValueLayout.JAVA_BYTE, (long) first * panelBytes, groupRows * panelBytes);
        }
    }
}
