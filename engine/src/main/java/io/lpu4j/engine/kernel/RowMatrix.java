package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * What every weight format shares: rows in {@link RowLayout}, an optional scale per row applied
 * after the dot product, and the prefill path (decode a row tile to F32 once, then
 * {@link DecodedTiles}). Each format supplies its own decode and its own one-token loops, which
 * must follow the accumulation order of {@link WeightMatrix} so both paths give the same bits.
 */
abstract class RowMatrix implements WeightMatrix {
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

    /**
     * Rows r and r + 1 with one token: their vector accumulators stored at accumulator slots
     * {@code slot} and {@code slot + 1} of {@code acc} (slot i = floats [i·N, (i+1)·N)).
     */
    abstract void dotPair(int r, MemorySegment x, MemorySegment acc, int slot);

    /** Row r with one token: its accumulator stored at slot {@code slot}. */
    abstract void dotOne(int r, MemorySegment x, MemorySegment acc, int slot);

    /** Row r as F32 before the row scale, into dst from float index {@code at}, zero-padded to whole vectors. */
    abstract void decodeRow(int r, MemorySegment dst, long at);

    /**
     * Whether the one-token product walks the two halves of a row range at once
     * ({@link #multiplyOneToken}): the interleaved formats. F32 walks its rows in order.
     */
    boolean streamsTwoGroups() {
        return false;
    }

    /**
     * Rows first .. first + 3 and second .. second + 3 (each a whole interleaved group) with one
     * token, accumulators at slots slot .. slot + 3 and slot + 4 .. slot + 7. Four pairs unless the
     * format streams both groups at once (see {@link #multiplyOneToken}); each row keeps its own
     * accumulator, so the bits are the same.
     */
    void dotTwoFours(int first, int second, MemorySegment x, MemorySegment acc, int slot) {
        dotPair(first, x, acc, slot);
        dotPair(first + 2, x, acc, slot + 2);
        dotPair(second, x, acc, slot + 4);
        dotPair(second + 2, x, acc, slot + 6);
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
                decodeRow(r + i, decoded, (long) i * scratch.rowStride());
                tileScales[i] = rowScale(r + i);
            }
            DecodedTiles.multiply(decoded, scratch.rowStride(), count, tileScales, cols, x, tokens, out,
                    outStride, outAt + r - rowFrom, scratch.accumulators());
        }
    }

    /**
     * One token: the rows are walked as two halves at once, four rows of each per
     * {@link #dotTwoFours} call (two calls per {@link LaneSums#reduce}), then the few rows left over
     * (fewer than eight) two or one at a time.
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
        // Every call's groups start on a whole group, as the formats' loops need.
        int half = streamsTwoGroups() && rowFrom % InterleavedMatrix.GROUP == 0 ? (rowTo - rowFrom) / 8 * 4 : 0;
        for (int i = 0; i < half; i += 8) {
            int calls = Math.min(2, (half - i) / 4);
            for (int c = 0; c < calls; c++) {
                dotTwoFours(rowFrom + i + 4 * c, rowFrom + half + i + 4 * c, x, acc, 8 * c);
            }
            LaneSums.reduce(acc);
            for (int c = 0; c < calls; c++) {
                scaleInto(acc, 8 * c, rowFrom + i + 4 * c, 4, out, outAt + i + 4 * c);
                scaleInto(acc, 8 * c + 4, rowFrom + half + i + 4 * c, 4, out, outAt + half + i + 4 * c);
            }
        }
        int r = rowFrom + 2 * half;
        while (r < rowTo) {
            int n = Math.min(LaneSums.GROUP, rowTo - r);
            int i = 0;
            for (; i + 2 <= n; i += 2) {
                dotPair(r + i, x, acc, i);
            }
            if (i < n) {
                dotOne(r + i, x, acc, i);
            }
            LaneSums.reduce(acc);
            scaleInto(acc, 0, r, n, out, outAt + r - rowFrom);
            r += n;
        }
    }

    /** Rows r .. r + n - 1's reduced sums, from acc[sums ..], times their one-token factors into out[at ..]. */
    private void scaleInto(MemorySegment acc, int sums, int r, int n, MemorySegment out, long at) {
        float[] factors = oneTokenScales;
        for (int j = 0; j < n; j++) {
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
