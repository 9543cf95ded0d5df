package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix [rows × cols] in its storage format, multiplied by F32 activations.
 *
 * <p>Contract of {@link #multiply}: for r in [rowFrom, rowTo) and t in [0, tokens),
 * {@code out[outAt + t * outStride + (r - rowFrom)] = Σ_k W[r][k] · x[t * padded(cols) + k]} (F32
 * indices), where {@code x} holds F32 rows of {@code Lanes.padded(cols)} floats, zero beyond
 * {@code cols}.
 *
 * <p>Accumulation order (the same for one token and for many, so prefill and decode agree to the
 * bit, and independent of how rows are split among threads): each (row, token) has one vector
 * accumulator; k advances one vector at a time from 0, {@code acc = fma(w, x, acc)}, the last partial
 * vector masked; then the lanes are summed in {@link LaneSums} order; then the scale, if the format
 * has one. Block-scaled weights ({@link Fp8BlockMatrix}) sum each column block the same way in an
 * accumulator of its own and add it times the block's scale, {@code acc = fma(block, scale, acc)}.
 */
public interface WeightMatrix {

    int rows();

    int cols();

    /** Weight bytes read by a full multiply (codes plus scales), for bandwidth accounting. */
    long bytes();

    void multiply(int rowFrom, int rowTo, MemorySegment x, int tokens, MemorySegment out, long outAt, int outStride,
                  KernelScratch scratch);

    /**
     * Row {@code r} as F32 values (dequantized) into {@code dst[at..at + cols)}, zeros after it up to
     * a whole vector: the embedding lookup.
     */
    void readRow(int r, MemorySegment dst, long at);
}
