package io.lpu4j.engine.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.B;
import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;
import static jdk.incubator.vector.VectorOperators.B2F;

/**
 * Symmetric INT8 weights with one F32 scale per row: result = (Σ q·x) × scale. The classic
 * baseline the FP8 formats are compared with; activations stay floating point (weight-only INT8).
 * One token streams two interleaved groups of four rows per loop, as {@link Fp8Matrix} does.
 */
public final class Int8Matrix extends InterleavedMatrix {
    private final MemorySegment scales;

    /** @param scales F32 (native order), one per row */
    public Int8Matrix(MemorySegment codes, MemorySegment scales, int rows, int cols) {
        super(codes, rows, cols, 1, rowFactors(scales, rows, false, 1f), GroupOrder.ROW_BY_ROW);
        this.scales = scales;
    }

    @Override
    public long bytes() {
        return data.byteSize() + scales.byteSize();
    }

    @Override
    float rowScale(int r) {
        return scales.getAtIndex(FLOAT, r);
    }

    /** Two interleaved groups of four rows in one loop; the decode written out, as in {@link Fp8Matrix#dotTwoFours}. */
    @Override
    void dotTwoFours(int first, int second, int panel, MemorySegment x, MemorySegment acc, int firstSlot,
                     int secondSlot) {
        long firstAt = rowStart(first, panel);
        long secondAt = rowStart(second, panel);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        int step = this.step;
        long b = (long) N * Float.BYTES;
        long at = firstSlot * b;
        long bt = secondSlot * b;
        // where the eight chains start: zeros in the first panel, this panel's slots after it
        long atFrom = panel == 0 ? KernelScratch.ZERO_SLOT * b : at;
        long btFrom = panel == 0 ? KernelScratch.ZERO_SLOT * b : bt;
        FloatVector a0 = FloatVector.fromMemorySegment(F, acc, atFrom, ORDER);
        FloatVector a1 = FloatVector.fromMemorySegment(F, acc, atFrom + b, ORDER);
        FloatVector a2 = FloatVector.fromMemorySegment(F, acc, atFrom + 2 * b, ORDER);
        FloatVector a3 = FloatVector.fromMemorySegment(F, acc, atFrom + 3 * b, ORDER);
        FloatVector b0 = FloatVector.fromMemorySegment(F, acc, btFrom, ORDER);
        FloatVector b1 = FloatVector.fromMemorySegment(F, acc, btFrom + b, ORDER);
        FloatVector b2 = FloatVector.fromMemorySegment(F, acc, btFrom + 2 * b, ORDER);
        FloatVector b3 = FloatVector.fromMemorySegment(F, acc, btFrom + 3 * b, ORDER);
        for (int k = 0; k < width; k += step) {
            long p = firstAt + (long) GROUP * k;
            long q = secondAt + (long) GROUP * k;
            FloatVector v = Decode.f32(x, column + k);
            a0 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p, ORDER).convertShape(B2F, F, 0)).fma(v, a0);
            a1 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + N, ORDER).convertShape(B2F, F, 0)).fma(v, a1);
            a2 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 2 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a2);
            a3 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 3 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a3);
            b0 = ((FloatVector) ByteVector.fromMemorySegment(B, data, q, ORDER).convertShape(B2F, F, 0)).fma(v, b0);
            b1 = ((FloatVector) ByteVector.fromMemorySegment(B, data, q + N, ORDER).convertShape(B2F, F, 0)).fma(v, b1);
            b2 = ((FloatVector) ByteVector.fromMemorySegment(B, data, q + 2 * N, ORDER).convertShape(B2F, F, 0)).fma(v, b2);
            b3 = ((FloatVector) ByteVector.fromMemorySegment(B, data, q + 3 * N, ORDER).convertShape(B2F, F, 0)).fma(v, b3);
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
        FloatVector a0 = Decode.f32(acc, startOf(slot, panel));
        FloatVector a1 = Decode.f32(acc, startOf(slot + 1, panel));
        for (int k = 0; k < width; k += N) {
            FloatVector v = Decode.f32(x, column + k);
            a0 = Decode.int8(ByteVector.fromMemorySegment(B, data, o0 + (long) k * m0, ORDER)).fma(v, a0);
            a1 = Decode.int8(ByteVector.fromMemorySegment(B, data, o1 + (long) k * m1, ORDER)).fma(v, a1);
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
        FloatVector a = Decode.f32(acc, startOf(slot, panel));
        for (int k = 0; k < width; k += N) {
            a = Decode.int8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER)).fma(Decode.f32(x, column + k), a);
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
            Decode.int8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER))
                    .intoMemorySegment(dst, (at + column + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return data.get(ValueLayout.JAVA_BYTE, index(r, k));
    }
}
