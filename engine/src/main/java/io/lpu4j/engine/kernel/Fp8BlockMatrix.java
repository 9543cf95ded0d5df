package io.lpu4j.engine.kernel;

import io.lpu4j.weights.Fp8E4M3;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.B;
import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.I;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;
import static jdk.incubator.vector.VectorOperators.B2I;
import static jdk.incubator.vector.VectorOperators.LSHL;

/**
 * FP8 E4M3 weights with one F32 scale per square block (DeepSeek-V3 style, 128×128 by default).
 * Each weight is dequantized in registers, w = fl(decode(code) × scale), and then used as an F32
 * weight: results are bit-identical to {@link F32Matrix} over the dequantized matrix.
 *
 * <p>One token, eight rows at a time: the cheap {@link Decode#fp8TimesTwoToMinus120} times
 * scale·2^120 is the same real number as decode(code)·scale, so it rounds to the same w, provided
 * scale·2^120 is exact, i.e. every scale is below 2^8 (real checkpoints' scales are ~1e-4..1e-2;
 * a matrix with larger ones takes the exact decode throughout).
 */
public final class Fp8BlockMatrix extends InterleavedMatrix {
    private static final float REBIAS = 0x1p120f;
    private final MemorySegment scales;
    private final int blockSize;
    private final int blocksPerRow;
    /** Every block scale is below 2^8, so scale·2^120 is exact (see the class comment). */
    private final boolean rebasedScalesExact;

    /**
     * @param scales F32 (native order), [ceil(rows / blockSize)][ceil(cols / blockSize)]
     * @param blockSize a multiple of 64
     */
    public Fp8BlockMatrix(MemorySegment codes, MemorySegment scales, int rows, int cols, int blockSize) {
        super(codes, rows, cols, 1, null);
        if (blockSize <= 0 || blockSize % RowLayout.ALIGNMENT != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 64, got " + blockSize);
        }
        this.blockSize = blockSize;
        this.blocksPerRow = (cols + blockSize - 1) / blockSize;
        long expected = (long) ((rows + blockSize - 1) / blockSize) * blocksPerRow * Float.BYTES;
        if (scales.byteSize() != expected) {
            throw new IllegalArgumentException("block scales hold " + scales.byteSize() + " bytes, expected " + expected);
        }
        this.scales = scales;
        boolean exact = true;
        for (long i = 0; i < scales.byteSize() / Float.BYTES; i++) {
            exact &= Math.abs(scales.getAtIndex(FLOAT, i)) < 0x1p8f;
        }
        this.rebasedScalesExact = exact;
    }

    @Override
    public long bytes() {
        return data.byteSize() + scales.byteSize();
    }

    @Override
    float rowScale(int r) {
        return 1f;
    }

    private float blockScale(int r, int k) {
        return scales.getAtIndex(FLOAT, (long) (r / blockSize) * blocksPerRow + k / blockSize);
    }

    /**
     * Where the column block holding panel column {@code k} ends, as a panel column, at most
     * {@code width}: a panel ({@code column} its first column) need not start on a block.
     */
    private int blockEnd(int column, int k, int width) {
        return Math.min(width, ((column + k) / blockSize + 1) * blockSize - column);
    }

    /**
     * Two interleaved groups of four rows in one loop; the decode written out, as in
     * {@link Fp8Matrix#dotTwoFours}. Each product is still fl(fl(decode(code) · scale) · x) added by
     * FMA: the same bits as row by row.
     */
    @Override
    void dotTwoFours(int first, int second, int panel, MemorySegment x, MemorySegment acc, int firstSlot,
                     int secondSlot) {
        if (!rebasedScalesExact) {
            super.dotTwoFours(first, second, panel, x, acc, firstSlot, secondSlot);
            return;
        }
        long firstAt = rowStart(first, panel);
        long secondAt = rowStart(second, panel);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        int step = this.step;
        long b = (long) N * Float.BYTES;
        long at = firstSlot * b;
        long bt = secondSlot * b;
        FloatVector a0 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at, ORDER);
        FloatVector a1 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at + b, ORDER);
        FloatVector a2 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at + 2 * b, ORDER);
        FloatVector a3 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at + 3 * b, ORDER);
        FloatVector b0 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt, ORDER);
        FloatVector b1 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt + b, ORDER);
        FloatVector b2 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt + 2 * b, ORDER);
        FloatVector b3 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt + 3 * b, ORDER);
        for (int block = 0, end; block < width; block = end) {
            // A group's four rows lie in one row block (blocks are multiples of 64 rows, groups start
            // on multiples of 4), so they share each column block's scale: one per group.
            FloatVector firstScale = FloatVector.broadcast(F, blockScale(first, column + block) * REBIAS);
            FloatVector secondScale = FloatVector.broadcast(F, blockScale(second, column + block) * REBIAS);
            end = blockEnd(column, block, width);
            for (int k = block; k < end; k += step) {
                long p = firstAt + (long) GROUP * k;
                long q = secondAt + (long) GROUP * k;
                FloatVector v = Decode.f32(x, column + k);
                a0 = ((IntVector) ByteVector.fromMemorySegment(B, data, p, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(firstScale).fma(v, a0);
                a1 = ((IntVector) ByteVector.fromMemorySegment(B, data, p + N, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(firstScale).fma(v, a1);
                a2 = ((IntVector) ByteVector.fromMemorySegment(B, data, p + 2 * N, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(firstScale).fma(v, a2);
                a3 = ((IntVector) ByteVector.fromMemorySegment(B, data, p + 3 * N, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(firstScale).fma(v, a3);
                b0 = ((IntVector) ByteVector.fromMemorySegment(B, data, q, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(secondScale).fma(v, b0);
                b1 = ((IntVector) ByteVector.fromMemorySegment(B, data, q + N, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(secondScale).fma(v, b1);
                b2 = ((IntVector) ByteVector.fromMemorySegment(B, data, q + 2 * N, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(secondScale).fma(v, b2);
                b3 = ((IntVector) ByteVector.fromMemorySegment(B, data, q + 3 * N, ORDER).convertShape(B2I, I, 0))
                        .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().mul(secondScale).fma(v, b3);
            }
        }
        a0.intoMemorySegment(acc, at, ORDER);
        a1.intoMemorySegment(acc, at + b, ORDER);
        a2.intoMemorySegment(acc, at + 2 * b, ORDER);
        a3.intoMemorySegment(acc, at + 3 * b, ORDER);
        b0.intoMemorySegment(acc, bt, ORDER);
        b1.intoMemorySegment(acc, bt + b, ORDER);
        b2.intoMemorySegment(acc, bt + 2 * b, ORDER);
        b3.intoMemorySegment(acc, bt + 3 * b, ORDER);
    }

    @Override
    void dotPair(int r, int panel, MemorySegment x, MemorySegment acc, int slot) {
        long o0 = rowStart(r, panel);
        long o1 = rowStart(r + 1, panel);
        int m0 = groupRows(r);
        int m1 = groupRows(r + 1);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        FloatVector a0 = carried(acc, slot, panel);
        FloatVector a1 = carried(acc, slot + 1, panel);
        for (int block = 0, end; block < width; block = end) {
            FloatVector s0 = FloatVector.broadcast(F, blockScale(r, column + block));
            FloatVector s1 = FloatVector.broadcast(F, blockScale(r + 1, column + block));
            end = blockEnd(column, block, width);
            for (int k = block; k < end; k += N) {
                FloatVector v = Decode.f32(x, column + k);
                a0 = Decode.fp8(ByteVector.fromMemorySegment(B, data, o0 + (long) k * m0, ORDER)).mul(s0).fma(v, a0);
                a1 = Decode.fp8(ByteVector.fromMemorySegment(B, data, o1 + (long) k * m1, ORDER)).mul(s1).fma(v, a1);
            }
        }
        a0.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
        a1.intoMemorySegment(acc, (long) (slot + 1) * N * Float.BYTES, ORDER);
    }

    @Override
    void dotOne(int r, int panel, MemorySegment x, MemorySegment acc, int slot) {
        long o = rowStart(r, panel);
        int m = groupRows(r);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        FloatVector a = carried(acc, slot, panel);
        for (int block = 0, end; block < width; block = end) {
            FloatVector s = FloatVector.broadcast(F, blockScale(r, column + block));
            end = blockEnd(column, block, width);
            for (int k = block; k < end; k += N) {
                a = Decode.fp8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER)).mul(s)
                        .fma(Decode.f32(x, column + k), a);
            }
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    @Override
    void decodeRow(int r, int panel, MemorySegment dst, long at) {
        long o = rowStart(r, panel);
        int m = groupRows(r);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        for (int k = 0; k < width; k += N) {
            Decode.fp8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER)).mul(blockScale(r, column + k))
                    .intoMemorySegment(dst, (at + column + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, index(r, k))) * blockScale(r, k);
    }
}
