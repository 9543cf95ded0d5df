package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.I;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;
import static io.lpu4j.engine.kernel.Lanes.S;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2I;

/**
 * BF16 weights, 2 bytes per weight, widened exactly to F32 in registers. One token streams two
 * interleaved groups of four rows per loop ({@link InterleavedMatrix}), as {@link Fp8Matrix} does.
 */
public final class Bf16Matrix extends InterleavedMatrix {

    /** @param weights rows of BF16 values in {@link InterleavedMatrix}'s layout */
    public Bf16Matrix(MemorySegment weights, int rows, int cols) {
        super(weights, rows, cols, Short.BYTES, null, GroupOrder.ROW_BY_ROW);
    }

    @Override
    float rowScale(int r) {
        return 1f;
    }

    /**
     * Two interleaved groups of four rows, far apart (see {@link RowMatrix#multiplyOneToken}), in one
     * loop. The widening is written out ({@link Decode#bf16}) for the reason {@link Fp8Matrix#dotTwoFours}
     * gives: with eight calls of the helper after the accumulators' loads, C2 stopped inlining the
     * last two (NodeCountInliningCutoff) and boxed their vectors, 24 KB per decode step on stories260K.
     */
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
            a0 = ((IntVector) ShortVector.fromMemorySegment(S, data, p * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, a0);
            a1 = ((IntVector) ShortVector.fromMemorySegment(S, data, (p + N) * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, a1);
            a2 = ((IntVector) ShortVector.fromMemorySegment(S, data, (p + 2 * N) * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, a2);
            a3 = ((IntVector) ShortVector.fromMemorySegment(S, data, (p + 3 * N) * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, a3);
            b0 = ((IntVector) ShortVector.fromMemorySegment(S, data, q * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, b0);
            b1 = ((IntVector) ShortVector.fromMemorySegment(S, data, (q + N) * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, b1);
            b2 = ((IntVector) ShortVector.fromMemorySegment(S, data, (q + 2 * N) * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, b2);
            b3 = ((IntVector) ShortVector.fromMemorySegment(S, data, (q + 3 * N) * Short.BYTES, ORDER).convertShape(S2I, I, 0))
                    .lanewise(LSHL, 16).reinterpretAsFloats().fma(v, b3);
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
            a0 = Decode.bf16(data, o0 + (long) k * m0).fma(v, a0);
            a1 = Decode.bf16(data, o1 + (long) k * m1).fma(v, a1);
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
            a = Decode.bf16(data, o + (long) k * m).fma(Decode.f32(x, column + k), a);
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
            Decode.bf16(data, o + (long) k * m).intoMemorySegment(dst, (at + column + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return io.lpu4j.weights.Bf16.toFloat(data.getAtIndex(Lanes.SHORT, index(r, k)));
    }
}
