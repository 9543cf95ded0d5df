package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * BF16 weights, 2 bytes per weight, widened exactly to F32 in registers. One token streams one
 * interleaved group of four rows per loop ({@link InterleavedMatrix}).
 */
public final class Bf16Matrix extends InterleavedMatrix {

    /** @param weights rows of BF16 values in {@link InterleavedMatrix}'s layout */
    public Bf16Matrix(MemorySegment weights, int rows, int cols) {
        super(weights, rows, cols, Short.BYTES, null);
    }

    @Override
    float rowScale(int r) {
        return 1f;
    }

    @Override
    void dotFour(int r, MemorySegment x, MemorySegment acc, int slot) {
        if (r % GROUP != 0) {
            super.dotFour(r, x, acc, slot);
            return;
        }
        long first = (long) r * stride;
        int width = Lanes.padded(cols);
        int step = this.step;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int k = 0; k < width; k += step) {
            long p = first + (long) GROUP * k;
            FloatVector v = Decode.f32(x, k);
            a0 = Decode.bf16(data, p).fma(v, a0);
            a1 = Decode.bf16(data, p + N).fma(v, a1);
            a2 = Decode.bf16(data, p + 2 * N).fma(v, a2);
            a3 = Decode.bf16(data, p + 3 * N).fma(v, a3);
        }
        long b = (long) N * Float.BYTES;
        a0.intoMemorySegment(acc, slot * b, ORDER);
        a1.intoMemorySegment(acc, (slot + 1) * b, ORDER);
        a2.intoMemorySegment(acc, (slot + 2) * b, ORDER);
        a3.intoMemorySegment(acc, (slot + 3) * b, ORDER);
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
            a0 = Decode.bf16(data, o0 + (long) k * m0).fma(v, a0);
            a1 = Decode.bf16(data, o1 + (long) k * m1).fma(v, a1);
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
            a = Decode.bf16(data, o + (long) k * m).fma(Decode.f32(x, k), a);
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    @Override
    void decodeRow(int r, MemorySegment dst, long at) {
        long o = rowStart(r);
        int m = groupRows(r);
        int width = Lanes.padded(cols);
        for (int k = 0; k < width; k += N) {
            Decode.bf16(data, o + (long) k * m).intoMemorySegment(dst, (at + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return io.lpu4j.weights.Bf16.toFloat(data.getAtIndex(Lanes.SHORT, index(r, k)));
    }
}
