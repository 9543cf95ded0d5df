package io.lpu4j.engine.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.B;
import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * Symmetric INT8 weights with one F32 scale per row: result = (Σ q·x) × scale. The classic
 * baseline the FP8 formats are compared with; activations stay floating point (weight-only INT8).
 */
public final class Int8Matrix extends RowMatrix {
    private final MemorySegment scales;

    /** @param scales F32 (native order), one per row */
    public Int8Matrix(MemorySegment codes, MemorySegment scales, int rows, int cols) {
        super(codes, rows, cols, 1);
        if (scales.byteSize() != (long) rows * Float.BYTES) {
            throw new IllegalArgumentException("scales must hold " + rows + " floats");
        }
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

    @Override
    void dotPair(int r, MemorySegment x, MemorySegment out, long at) {
        long o0 = (long) r * stride;
        long o1 = o0 + stride;
        int width = Lanes.padded(cols);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        for (int k = 0; k < width; k += N) {
            FloatVector v = DecodedTiles.load(x, k);
            a0 = Decode.int8(ByteVector.fromMemorySegment(B, data, o0 + k, ORDER)).fma(v, a0);
            a1 = Decode.int8(ByteVector.fromMemorySegment(B, data, o1 + k, ORDER)).fma(v, a1);
        }
        out.setAtIndex(FLOAT, at, Lanes.sum(a0) * rowScale(r));
        out.setAtIndex(FLOAT, at + 1, Lanes.sum(a1) * rowScale(r + 1));
    }

    @Override
    void dotOne(int r, MemorySegment x, MemorySegment out, long at) {
        long o = (long) r * stride;
        int width = Lanes.padded(cols);
        FloatVector a = FloatVector.zero(F);
        for (int k = 0; k < width; k += N) {
            a = Decode.int8(ByteVector.fromMemorySegment(B, data, o + k, ORDER)).fma(DecodedTiles.load(x, k), a);
        }
        out.setAtIndex(FLOAT, at, Lanes.sum(a) * rowScale(r));
    }

    @Override
    void decodeRow(int r, MemorySegment dst, long at) {
        long o = (long) r * stride;
        int width = Lanes.padded(cols);
        for (int k = 0; k < width; k += N) {
            Decode.int8(ByteVector.fromMemorySegment(B, data, o + k, ORDER))
                    .intoMemorySegment(dst, (at + k) * Float.BYTES, ORDER);
        }
    }
}
