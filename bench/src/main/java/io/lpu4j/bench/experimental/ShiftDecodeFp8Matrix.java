package io.lpu4j.bench.experimental;

import io.lpu4j.engine.kernel.KernelScratch;
import io.lpu4j.engine.kernel.LaneSums;
import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.kernel.WeightMatrix;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.B;
import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.I;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * EXPERIMENTAL, not used by the engine: the one-token product of {@code Fp8Matrix} (per-channel
 * scales, the same accumulation order, so the same bits) with a cheaper E4M3 decode.
 *
 * <p>The engine's {@code Decode.fp8} spends about nine vector operations per 16 weights so that no
 * FP32 denormal ever appears. This one takes three and a multiply: sign-extend the code to 32 bits,
 * shift it left by 20 (the sign lands in bit 31, exponent and mantissa in FP32's fields), clear the
 * sign's copies left in bits 27-30, and multiply by 2^120 to move E4M3's exponent bias (7) to
 * FP32's (127). The multiply is exact, so every non-NaN code decodes to the bits {@code Decode.fp8}
 * gives. The catch: a subnormal code (exponent 0) is an FP32 denormal before the multiply, and x86
 * multiplies denormals slowly, so this pays off only for weights with few subnormal codes, as
 * trained weights quantized per channel have.
 *
 * <p>The decode being small, four rows fit in one loop without passing C2's inlining cutoff (eight
 * do not: measured 4.5 GB/s instead of 20). Four rows mean four streams from memory instead of two,
 * and from DRAM that, more than the cheaper decode, is what raises one core's throughput.
 *
 * <p>Only what the benchmark needs: one token, a multiple of {@code rowsPerLoop} rows per call, no
 * readRow.
 */
public final class ShiftDecodeFp8Matrix implements WeightMatrix {
    private static final float REBIAS = 0x1p120f;

    private final MemorySegment codes;
    private final MemorySegment scales;
    private final int rows;
    private final int cols;
    private final int stride;
    private final int rowsPerLoop;
    /** {@link LaneSums#GROUP} accumulators of N floats, reduced together. */
    private final MemorySegment acc;

    /** @param rowsPerLoop 2 or 4: rows whose dot products share one pass over x */
    public ShiftDecodeFp8Matrix(MemorySegment codes, MemorySegment scales, int rows, int cols, int rowsPerLoop,
                                Arena arena) {
        if (rowsPerLoop != 2 && rowsPerLoop != 4) {
            throw new IllegalArgumentException("2 or 4 rows per loop, not " + rowsPerLoop);
        }
        this.rowsPerLoop = rowsPerLoop;
        this.codes = codes;
        this.scales = scales;
        this.rows = rows;
        this.cols = cols;
        this.stride = RowLayout.stride(cols, 1);
        this.acc = arena.allocate((long) LaneSums.GROUP * N * Float.BYTES, 64);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public long bytes() {
        return codes.byteSize() + scales.byteSize();
    }

    /**
     * {@code scratch} is unused: its accumulators are the engine's own. This matrix keeps one block of
     * them instead, so it is not thread-safe: each thread needs its own instance.
     */
    @Override
    public void multiply(int rowFrom, int rowTo, MemorySegment x, int tokens, MemorySegment out, long outAt,
                         int outStride, KernelScratch scratch) {
        if (tokens != 1 || (rowTo - rowFrom) % rowsPerLoop != 0) {
            throw new UnsupportedOperationException("one token and a multiple of " + rowsPerLoop + " rows only");
        }
        for (int group = rowFrom; group < rowTo; group += LaneSums.GROUP) {
            int n = Math.min(LaneSums.GROUP, rowTo - group);
            for (int i = 0; i < n; i += rowsPerLoop) {
                if (rowsPerLoop == 2) {
                    dotPair(group + i, x, i);
                } else {
                    dotQuad(group + i, x, i);
                }
            }
            LaneSums.reduce(acc);
            for (int j = 0; j < n; j++) {
                out.setAtIndex(FLOAT, outAt + group - rowFrom + j,
                        acc.getAtIndex(FLOAT, j) * scales.getAtIndex(FLOAT, group + j));
            }
        }
    }

    /** Rows r, r + 1: accumulators to slots slot, slot + 1 (as {@code Fp8Matrix.dotPair}). */
    private void dotPair(int r, MemorySegment x, int slot) {
        long o0 = (long) r * stride;
        long o1 = o0 + stride;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        int width = Lanes.padded(cols);
        for (int k = 0; k < width; k += N) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, (long) k * Float.BYTES, ORDER);
            a0 = decode(ByteVector.fromMemorySegment(B, codes, o0 + k, ORDER)).fma(v, a0);
            a1 = decode(ByteVector.fromMemorySegment(B, codes, o1 + k, ORDER)).fma(v, a1);
        }
        a0.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
        a1.intoMemorySegment(acc, (long) (slot + 1) * N * Float.BYTES, ORDER);
    }

    /** Rows r .. r + 3: accumulators to slots slot .. slot + 3. */
    private void dotQuad(int r, MemorySegment x, int slot) {
        long o0 = (long) r * stride;
        long o1 = o0 + stride;
        long o2 = o1 + stride;
        long o3 = o2 + stride;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int width = Lanes.padded(cols);
        for (int k = 0; k < width; k += N) {
            FloatVector v = FloatVector.fromMemorySegment(F, x, (long) k * Float.BYTES, ORDER);
            a0 = decode(ByteVector.fromMemorySegment(B, codes, o0 + k, ORDER)).fma(v, a0);
            a1 = decode(ByteVector.fromMemorySegment(B, codes, o1 + k, ORDER)).fma(v, a1);
            a2 = decode(ByteVector.fromMemorySegment(B, codes, o2 + k, ORDER)).fma(v, a2);
            a3 = decode(ByteVector.fromMemorySegment(B, codes, o3 + k, ORDER)).fma(v, a3);
        }
        long b = (long) N * Float.BYTES;
        a0.intoMemorySegment(acc, slot * b, ORDER);
        a1.intoMemorySegment(acc, (slot + 1) * b, ORDER);
        a2.intoMemorySegment(acc, (slot + 2) * b, ORDER);
        a3.intoMemorySegment(acc, (slot + 3) * b, ORDER);
    }

    private static FloatVector decode(ByteVector codes) {
        IntVector bits = (IntVector) codes.convertShape(VectorOperators.B2I, I, 0);
        return bits.lanewise(VectorOperators.LSHL, 20).and(0x87F00000).reinterpretAsFloats().mul(REBIAS);
    }

    @Override
    public void readRow(int r, MemorySegment dst, long at) {
        throw new UnsupportedOperationException("experimental: one-token products only");
    }
}
