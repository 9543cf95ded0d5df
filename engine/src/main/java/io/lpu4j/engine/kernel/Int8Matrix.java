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
 * One token streams eight interleaved rows per loop, as {@link Fp8Matrix} does.
 */
public final class Int8Matrix extends InterleavedMatrix {
    private final MemorySegment scales;

    /** @param scales F32 (native order), one per row */
    public Int8Matrix(MemorySegment codes, MemorySegment scales, int rows, int cols) {
        super(codes, rows, cols, 1, rowFactors(scales, rows, false, 1f));
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

    /** Eight rows of one interleaved group; the decode written out, as in {@link Fp8Matrix#dotEight}. */
    @Override
    void dotEight(int r, MemorySegment x, MemorySegment acc, int slot) {
        if (r % group != 0) {
            super.dotEight(r, x, acc, slot);
            return;
        }
        long first = (long) r * stride;
        int width = Lanes.padded(cols);
        int step = this.step;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (int k = 0; k < width; k += step) {
            long p = first + 8L * k;
            FloatVector v = Decode.f32(x, k);
            a0 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p, ORDER).convertShape(B2F, F, 0)).fma(v, a0);
            a1 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + N, ORDER).convertShape(B2F, F, 0)).fma(v, a1);
            a2 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 2 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a2);
            a3 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 3 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a3);
            a4 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 4 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a4);
            a5 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 5 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a5);
            a6 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 6 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a6);
            a7 = ((FloatVector) ByteVector.fromMemorySegment(B, data, p + 7 * N, ORDER).convertShape(B2F, F, 0)).fma(v, a7);
        }
        long b = (long) N * Float.BYTES;
        a0.intoMemorySegment(acc, slot * b, ORDER);
        a1.intoMemorySegment(acc, (slot + 1) * b, ORDER);
        a2.intoMemorySegment(acc, (slot + 2) * b, ORDER);
        a3.intoMemorySegment(acc, (slot + 3) * b, ORDER);
        a4.intoMemorySegment(acc, (slot + 4) * b, ORDER);
        a5.intoMemorySegment(acc, (slot + 5) * b, ORDER);
        a6.intoMemorySegment(acc, (slot + 6) * b, ORDER);
        a7.intoMemorySegment(acc, (slot + 7) * b, ORDER);
    }

    @Override
    void dotPair(int r, MemorySegment x, MemorySegment acc, int slot) {
        long o0 = rowStart(r);
        long o1 = rowStart(r + 1);
        int m0 = groupRows(r);
        int m1 = groupRows(r + 1);
        int width = Lanes.padded(cols);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        for (int k = 0; k < width; k += N) {
            FloatVector v = Decode.f32(x, k);
            a0 = Decode.int8(ByteVector.fromMemorySegment(B, data, o0 + (long) k * m0, ORDER)).fma(v, a0);
            a1 = Decode.int8(ByteVector.fromMemorySegment(B, data, o1 + (long) k * m1, ORDER)).fma(v, a1);
        }
        a0.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
        a1.intoMemorySegment(acc, (long) (slot + 1) * N * Float.BYTES, ORDER);
    }

    @Override
    void dotOne(int r, MemorySegment x, MemorySegment acc, int slot) {
        long o = rowStart(r);
        int m = groupRows(r);
        int width = Lanes.padded(cols);
        FloatVector a = FloatVector.zero(F);
        for (int k = 0; k < width; k += N) {
            a = Decode.int8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER)).fma(Decode.f32(x, k), a);
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    @Override
    void decodeRow(int r, MemorySegment dst, long at) {
        long o = rowStart(r);
        int m = groupRows(r);
        int width = Lanes.padded(cols);
        for (int k = 0; k < width; k += N) {
            Decode.int8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER))
                    .intoMemorySegment(dst, (at + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return data.get(ValueLayout.JAVA_BYTE, index(r, k));
    }
}
