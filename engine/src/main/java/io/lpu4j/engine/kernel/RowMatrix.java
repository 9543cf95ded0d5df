package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * What every weight format shares: rows in {@link RowLayout}, an optional scale per row applied
 * after the dot product, and the prefill path (decode a row tile to F32 once, then
 * {@link DecodedTiles}). Each format supplies its own decode and its own one-token loops, which
 * must follow the accumulation order of {@link WeightMatrix} so both paths give the same bits.
 */
abstract class RowMatrix implements WeightMatrix {
    /**
     * {@link #dotTwoFours} calls per chunk when the rows are stored in panels: 1024 rows per half,
     * whose accumulators take {@link KernelScratch#ONE_TOKEN_SLOTS} slots (128 KB, in L2).
     *
     * <p>Why so many: each half's stream runs unbroken through one panel of a chunk's rows and then
     * jumps to the next panel, and every jump restarts the hardware prefetcher. With 64 rows per half
     * (runs of 180 KB for 2816-column FP8 panels) the one-thread FP8 2048×5632 product read 0.78 of
     * the paired plain read; with 256 rows 0.86–0.89, with 1024 (the whole half of TinyLlama's down
     * projection on one thread, half of it on two) 0.89–0.91 (JMH {@code MatVecBenchmark}, builds
     * taking turns; BF16 0.89–0.93 against 0.89–0.92 at 256).
     */
    static final int CHUNK_CALLS = 256;
    /** Eight sums scaled at once ({@link #scaleInto}): the rows of two calls' first (or second) groups. */
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    protected final MemorySegment data;
    protected final int rows;
    protected final int cols;
    /** Elements from one row to the next. */
    protected final int stride;
    /**
     * Row r's one-token factor: {@link #rowScale}, times any power of two the format's one-token
     * loops leave in their sums; null when every factor is 1. An array filled once, not a method,
     * because the loop that applies it ({@link #multiply}) is shared by every format: with three
     * formats in one process (the benchmark's turns), a per-row call there was megamorphic, a
     * virtual call for every row of every product.
     */
    private final float[] oneTokenScales;

    RowMatrix(MemorySegment data, int rows, int cols, int elementBytes, float[] oneTokenScales) {
        this.stride = RowLayout.stride(cols, elementBytes);
        RowLayout.check(data, rows, stride, elementBytes);
        if (oneTokenScales != null && oneTokenScales.length != rows) {
            throw new IllegalArgumentException(oneTokenScales.length + " one-token scales for " + rows + " rows");
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.oneTokenScales = oneTokenScales;
    }

    /**
     * Row r's scale × {@code factor} for every row, from {@code scales} holding one F32 per row, or
     * one for the whole matrix when {@code perTensor} allows it.
     */
    static float[] rowFactors(MemorySegment scales, int rows, boolean perTensor, float factor) {
        long count = scales.byteSize() / Float.BYTES;
        if (scales.byteSize() % Float.BYTES != 0 || count != rows && !(perTensor && count == 1)) {
            throw new IllegalArgumentException("scales must hold " + (perTensor ? "1 or " : "") + rows
                    + " floats, got " + scales.byteSize() + " bytes");
        }
        float[] factors = new float[rows];
        for (int r = 0; r < rows; r++) {
            factors[r] = scales.getAtIndex(FLOAT, count == rows ? r : 0) * factor;
        }
        return factors;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    @Override
    public long bytes() {
        return data.byteSize();
    }

    /** The factor applied to row r's dot products (1 for unscaled formats). */
    abstract float rowScale(int r);

    /** Scales applied to each column block's sum ({@link Fp8BlockMatrix}), or null. */
    BlockScales blockScales() {
        return null;
    }

    /**
     * Column panels the rows are stored in (see {@link InterleavedMatrix#panelWidth}): the one-token
     * loops and the row decode cover one panel per call, in order, so each row still meets its
     * columns in ascending order.
     */
    int panels() {
        return 1;
    }

    /** Panel p's first column. */
    int panelStart(int p) {
        return 0;
    }

    /** Columns the loops cover in panel p: whole vectors, none past {@link Lanes#padded}(cols). */
    int panelColumns(int p) {
        return Lanes.padded(cols);
    }

    /**
     * Rows r and r + 1 with one token over panel p's columns: their vector accumulators stored at
     * accumulator slots {@code slot} and {@code slot + 1} of {@code acc} (slot i = floats
     * [i·N, (i+1)·N)), starting from zero in panel 0 and from what those slots hold in later panels
     * (see {@link InterleavedMatrix#startOf}).
     */
    abstract void dotPair(int r, int p, MemorySegment x, MemorySegment acc, int slot);

    /** Row r with one token over panel p's columns: its accumulator at slot {@code slot}, as {@link #dotPair}. */
    abstract void dotOne(int r, int p, MemorySegment x, MemorySegment acc, int slot);

    /**
     * Row r's panel p as F32 before the row scale, into dst from float index
     * {@code at + panelStart(p)}, zero-padded to whole vectors.
     */
    abstract void decodeRow(int r, int p, MemorySegment dst, long at);

    /**
     * Whether the one-token product walks the two halves of a row range at once
     * ({@link #multiplyOneToken}): the interleaved formats. F32 walks its rows in order.
     */
    boolean streamsTwoGroups() {
        return false;
    }

    /**
     * Rows first .. first + 3 and second .. second + 3 (each a whole interleaved group) with one
     * token over panel p, accumulators at slots firstSlot .. firstSlot + 3 and secondSlot ..
     * secondSlot + 3 (as {@link #dotPair}). Four pairs unless the format streams both groups at once
     * (see {@link #multiplyOneToken}); each row keeps its own accumulator, so the bits are the same.
     */
    void dotTwoFours(int first, int second, int p, MemorySegment x, MemorySegment acc, int firstSlot, int secondSlot) {
        dotPair(first, p, x, acc, firstSlot);
        dotPair(first + 2, p, x, acc, firstSlot + 2);
        dotPair(second, p, x, acc, secondSlot);
        dotPair(second + 2, p, x, acc, secondSlot + 2);
    }

    @Override
    public final void multiply(int rowFrom, int rowTo, MemorySegment x, int tokens, MemorySegment out, long outAt,
                               int outStride, KernelScratch scratch) {
        if (tokens == 1) {
            multiplyOneToken(rowFrom, rowTo, x, out, outAt, scratch.accumulators());
            return;
        }
        MemorySegment decoded = scratch.decodedRows();
        float[] tileScales = scratch.tileScales();
        for (int r = rowFrom; r < rowTo; r += KernelScratch.ROW_TILE) {
            int count = Math.min(KernelScratch.ROW_TILE, rowTo - r);
            for (int i = 0; i < count; i++) {
                for (int p = 0; p < panels(); p++) {
                    decodeRow(r + i, p, decoded, (long) i * scratch.rowStride());
                }
                tileScales[i] = rowScale(r + i);
            }
            DecodedTiles.multiply(decoded, scratch.rowStride(), count, tileScales, blockScales(), r, cols, x, tokens,
                    out, outStride, outAt + r - rowFrom, scratch.accumulators());
        }
    }

    /**
     * One token: the rows are walked as two halves at once, four rows of each per
     * {@link #dotTwoFours} call, then the few rows left over (fewer than eight) two or one at a time.
     * Rows go in chunks: each chunk's rows over every panel in turn, then their sums reduced
     * ({@link LaneSums#reduce}, sixteen rows at a time) and scaled. A chunk is two calls' rows when
     * the rows are one panel, {@link #CHUNK_CALLS} calls' when they are panels, so each panel is read
     * in long runs and its input stays in L1 across the chunk.
     *
     * <p>Why two halves: the interleaved formats' loops decode (FP8, INT8) or widen (BF16) every
     * weight, slow enough per byte that one sequential stream per core leaves memory idle between the
     * hardware prefetcher's requests; two streams far apart keep more lines in flight. Measured on
     * this machine (Zen 5, FP8 5632×2048 over 512 MiB, standalone loops): one core 29–32 GB/s with one
     * stream, 37–38 with the two halves; two cores 57–60 against 69; BF16 (JMH 5632×2048, two
     * threads, single forks of each build taking turns) 40–44 against 42–67 GB/s. The streams must
     * lie far apart: pairing neighbouring groups (16–512 KB apart) measured slower than one stream
     * (17–29 GB/s on one core), and a third stream gained nothing (one core 36–37 against 33–39
     * GB/s). F32 gained nothing (it already reads at the memory's rate) and walks its rows in order,
     * two at a time, sixteen per reduction, as do the rows left over (fewer than eight per call) in
     * every format.
     */
    private void multiplyOneToken(int rowFrom, int rowTo, MemorySegment x, MemorySegment out, long outAt,
                                  MemorySegment acc) {
        int panels = panels();
        // Every call's groups start on a whole group, as the formats' loops need.
        int half = streamsTwoGroups() && rowFrom % InterleavedMatrix.GROUP == 0 ? (rowTo - rowFrom) / 8 * 4 : 0;
        int chunkRows = 4 * (panels == 1 ? 2 : CHUNK_CALLS);
        for (int i = 0; i < half; i += chunkRows) {
            int calls = Math.min(chunkRows, half - i) / 4;
            for (int p = 0; p < panels; p++) {
                for (int c = 0; c < calls; c++) {
                    // two calls share sixteen slots: their first half's eight rows, then the second's
                    int slot = 16 * (c / 2) + 4 * (c % 2);
                    dotTwoFours(rowFrom + i + 4 * c, rowFrom + half + i + 4 * c, p, x, acc, slot, slot + 8);
                }
            }
            for (int c = 0; c < calls; c += 2) {
                LaneSums.reduce(acc, 8 * c);
                int sums = 8 * c * Lanes.N;
                int n = 4 * Math.min(2, calls - c);
                scaleInto(acc, sums, rowFrom + i + 4 * c, n, out, outAt + i + 4 * c);
                scaleInto(acc, sums + 8, rowFrom + half + i + 4 * c, n, out, outAt + half + i + 4 * c);
            }
        }
        int r = rowFrom + 2 * half;
        while (r < rowTo) {
            int n = Math.min(LaneSums.GROUP, rowTo - r);
            for (int p = 0; p < panels; p++) {
                int i = 0;
                for (; i + 2 <= n; i += 2) {
                    dotPair(r + i, p, x, acc, i);
                }
                if (i < n) {
                    dotOne(r + i, p, x, acc, i);
                }
            }
            LaneSums.reduce(acc, 0);
            scaleInto(acc, 0, r, n, out, outAt + r - rowFrom);
            r += n;
        }
    }

    /**
     * Rows r .. r + n - 1's reduced sums, from acc[sums ..], times their one-token factors into
     * out[at ..]: eight at a time as one vector, the rest one by one (the same multiplications).
     * Measured standalone (FP8 5632×2048, one core), scaling sixteen sums one by one cost 13 % of
     * the product's speed.
     */
    private void scaleInto(MemorySegment acc, int sums, int r, int n, MemorySegment out, long at) {
        float[] factors = oneTokenScales;
        int j = 0;
        for (; j + EIGHT.length() <= n; j += EIGHT.length()) {
            FloatVector sum = FloatVector.fromMemorySegment(EIGHT, acc, (long) (sums + j) * Float.BYTES, Lanes.ORDER);
            if (factors != null) {
                sum = sum.mul(FloatVector.fromArray(EIGHT, factors, r + j));
            }
            sum.intoMemorySegment(out, (at + j) * Float.BYTES, Lanes.ORDER);
        }
        for (; j < n; j++) {
            float sum = acc.getAtIndex(FLOAT, sums + j);
            out.setAtIndex(FLOAT, at + j, factors == null ? sum : sum * factors[r + j]);
        }
    }

    /** Element (r, k) as F32, before the row scale (scalar: see {@link #readRow}). */
    abstract float element(int r, int k);

    /**
     * Scalar on purpose: the embedding lookup reads one row per token, too rarely for C2 to compile
     * a vector loop early, and interpreted vector code allocates. Same values as the vector decode.
     */
    @Override
    public final void readRow(int r, MemorySegment dst, long at) {
        float scale = rowScale(r);
        for (int k = 0; k < cols; k++) {
            dst.setAtIndex(FLOAT, at + k, element(r, k) * scale);
        }
        for (int k = cols; k < Lanes.padded(cols); k++) {
            dst.setAtIndex(FLOAT, at + k, 0f);
        }
    }
}
