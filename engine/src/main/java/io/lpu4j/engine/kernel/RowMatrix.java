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
     * Rows r .. r + 7 with one token, accumulators at slots slot .. slot + 7. Two fours unless the
     * format streams eight rows at once (each row keeps its own accumulator: the same bits either way).
     */
    void dotEight(int r, MemorySegment x, MemorySegment acc, int slot) {
        dotFour(r, x, acc, slot);
        dotFour(r + 4, x, acc, slot + 4);
    }

    /**
     * Rows r .. r + 3 with one token, accumulators at slots slot .. slot + 3. Two pairs unless the
     * format streams four rows at once.
     */
    void dotFour(int r, MemorySegment x, MemorySegment acc, int slot) {
        dotPair(r, x, acc, slot);
        dotPair(r + 2, x, acc, slot + 2);
    }

    /**
     * Rows r and r + 1 with one token: their vector accumulators stored at accumulator slots
     * {@code slot} and {@code slot + 1} of {@code acc} (slot i = floats [i·N, (i+1)·N)).
     */
    abstract void dotPair(int r, MemorySegment x, MemorySegment acc, int slot);

    /** Row r with one token: its accumulator stored at slot {@code slot}. */
    abstract void dotOne(int r, MemorySegment x, MemorySegment acc, int slot);

    /** Row r as F32 before the row scale, into dst from float index {@code at}, zero-padded to whole vectors. */
    abstract void decodeRow(int r, MemorySegment dst, long at);

    @Override
    public final void multiply(int rowFrom, int rowTo, MemorySegment x, int tokens, MemorySegment out, long outAt,
                               int outStride, KernelScratch scratch) {
        if (tokens == 1) {
            MemorySegment acc = scratch.accumulators();
            float[] factors = oneTokenScales;
            for (int group = rowFrom; group < rowTo; group += LaneSums.GROUP) {
                int n = Math.min(LaneSums.GROUP, rowTo - group);
                int i = 0;
                for (; i + 8 <= n; i += 8) {
                    dotEight(group + i, x, acc, i);
                }
                for (; i + 4 <= n; i += 4) {
                    dotFour(group + i, x, acc, i);
                }
                for (; i + 2 <= n; i += 2) {
                    dotPair(group + i, x, acc, i);
                }
                if (i < n) {
                    dotOne(group + i, x, acc, i);
                }
                LaneSums.reduce(acc);
                long at = outAt + group - rowFrom;
                for (int j = 0; j < n; j++) {
                    float sum = acc.getAtIndex(FLOAT, j);
                    out.setAtIndex(FLOAT, at + j, factors == null ? sum : sum * factors[group + j]);
                }
            }
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
