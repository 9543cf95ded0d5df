package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * F32 weights: the exact path, 4 bytes per weight, rows in order, in one panel (the {@code panel}
 * arguments are always 0).
 */
public final class F32Matrix extends RowMatrix {

    public F32Matrix(MemorySegment weights, int rows, int cols) {
        super(weights, rows, cols, Float.BYTES, null);
    }

    @Override
    float rowScale(int r) {
        return 1f;
    }

    @Override
    void dotPair(int r, int panel, MemorySegment x, MemorySegment acc, int slot) {
        long o0 = (long) r * stride;
        long o1 = o0 + stride;
        int width = Lanes.padded(cols);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        for (int k = 0; k < width; k += N) {
            FloatVector v = Decode.f32(x, k);
            a0 = Decode.f32(data, o0 + k).fma(v, a0);
            a1 = Decode.f32(data, o1 + k).fma(v, a1);
        }
        a0.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
        a1.intoMemorySegment(acc, (long) (slot + 1) * N * Float.BYTES, ORDER);
    }

    @Override
    void dotOne(int r, int panel, MemorySegment x, MemorySegment acc, int slot) {
        DecodedTiles.spillDot(data, (long) r * stride, x, 0, Lanes.padded(cols), acc, slot);
    }

    @Override
    void decodeRow(int r, int panel, MemorySegment dst, long at) {
        MemorySegment.copy(data, (long) r * stride * Float.BYTES, dst, at * Float.BYTES,
                (long) Lanes.padded(cols) * Float.BYTES);
    }

    @Override
    float element(int r, int k) {
        return data.getAtIndex(FLOAT, (long) r * stride + k);
    }
}
