package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * BF16 weights, 2 bytes per weight, widened exactly to F32 in registers. One token streams two
 * interleaved groups of four rows per loop ({@link InterleavedMatrix}), as {@link Fp8Matrix} does.
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

    /** Two interleaved groups of four rows, far apart (see {@link RowMatrix#multiplyOneToken}), in one loop. */
    @Override
    void dotTwoFours(int first, int second, MemorySegment x, MemorySegment acc, int slot) {
        long firstAt = (long) first * stride;
        long secondAt = (long) second * stride;
        int width = Lanes.padded(cols);
        int step = this.step;
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector b0 = a0;
        FloatVector b1 = a0;
        FloatVector b2 = a0;
        FloatVector b3 = a0;
        for (int k = 0; k < width; k += step) {
            long p = firstAt + (long) GROUP * k;
            long q = secondAt + (long) GROUP * k;
            FloatVector v = Decode.f32(x, k);
            a0 = Decode.bf16(data, p).fma(v, a0);
            a1 = Decode.bf16(data, p + N).fma(v, a1);
            a2 = Decode.bf16(data, p + 2 * N).fma(v, a2);
            a3 = Decode.bf16(data, p + 3 * N).fma(v, a3);
            b0 = Decode.bf16(data, q).fma(v, b0);
            b1 = Decode.bf16(data, q + N).fma(v, b1);
            b2 = Decode.bf16(data, q + 2 * N).fma(v, b2);
            b3 = Decode.bf16(data, q + 3 * N).fma(v, b3);
        }
        long b = (long) N * Float.BYTES;
        long at = slot * b;
        a0.intoMemorySegment(acc, at, ORDER);
        a1.intoMemorySegment(acc, at + b, ORDER);
        a2.intoMemorySegment(acc, at + 2 * b, ORDER);
        a3.intoMemorySegment(acc, at + 3 * b, ORDER);
        b0.intoMemorySegment(acc, at + 4 * b, ORDER);
        b1.intoMemorySegment(acc, at + 5 * b, ORDER);
        b2.intoMemorySegment(acc, at + 6 * b, ORDER);
        b3.intoMemorySegment(acc, at + 7 * b, ORDER);
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
