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

    RowMatrix(MemorySegment data, int rows, int cols, int elementBytes) {
        this.stride = RowLayout.stride(cols, elementBytes);
        RowLayout.check(data, rows, stride, elementBytes);
        this.data = data;
        this.rows = rows;
        this.cols = cols;
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

    /** Rows r and r + 1 with one token: {@code out[at], out[at + 1]}, row scales applied. */
    abstract void dotPair(int r, MemorySegment x, MemorySegment out, long at);

    /** Row r with one token: {@code out[at]}, row scale applied. */
    abstract void dotOne(int r, MemorySegment x, MemorySegment out, long at);

    /** Row r as F32 before the row scale, into dst from float index {@code at}, zero-padded to whole vectors. */
    abstract void decodeRow(int r, MemorySegment dst, long at);

    @Override
    public final void multiply(int rowFrom, int rowTo, MemorySegment x, int tokens, MemorySegment out, long outAt,
                               int outStride, KernelScratch scratch) {
        if (tokens == 1) {
            int r = rowFrom;
            for (; r + 2 <= rowTo; r += 2) {
                dotPair(r, x, out, outAt + r - rowFrom);
            }
            if (r < rowTo) {
                dotOne(r, x, out, outAt + r - rowFrom);
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

    @Override
    public final void readRow(int r, MemorySegment dst, long at) {
        decodeRow(r, dst, at);
        float scale = rowScale(r);
        for (int k = 0; k < cols; k++) {
            dst.setAtIndex(FLOAT, at + k, dst.getAtIndex(FLOAT, at + k) * scale);
        }
    }
}
