package io.lpu4j.engine.kernel;

import io.lpu4j.weights.Fp8E4M3;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;
import static io.lpu4j.engine.kernel.Lanes.S2;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.LSHL;

/**
 * FP8 E4M3 weights with one F32 scale per row (per-channel) or one for the whole matrix
 * (per-tensor): result = (Σ decode(code)·x) × scale.
 *
 * <p>One token: each row's bytes are streamed once, eight rows per loop (two interleaved groups of
 * four from the two halves of the row range, {@link InterleavedMatrix},
 * {@link RowMatrix#multiplyOneToken}): eight accumulator chains hide the FMA latency, one load of the
 * input serves eight rows, and each step reads one whole cache line from each of two streams far
 * apart.
 *
 * <p>The decode gives {@link Decode#fp8TimesTwoToMinus120}'s values (3 operations instead of the 9 of
 * the exact {@link Decode#fp8}; in the two-group loop, which reads whole column-by-column groups,
 * 9 operations for four rows' N codes instead of 12 and four widening loads), so the weights come
 * out scaled by 2^-120; the input is scaled by 2^64 as it
 * is loaded (one multiply shared by the rows of the loop) and the row scale by 2^56. Scaling by
 * powers of two is exact, and it keeps every product and partial sum either in FP32's normal range,
 * where rounding does not depend on scale, or exactly representable: the result has the same bits
 * as the canonical order over decode(code)·x as long as every nonzero activation lies between
 * 2^-61 and 2^64 in magnitude (FP16 activations always do; the tests compare the bits with the
 * prefill path, which decodes exactly).
 */
public final class Fp8Matrix extends InterleavedMatrix {
    private static final float INPUT_FACTOR = 0x1p64f;
    private static final float SCALE_FACTOR = 0x1p56f;

    private final MemorySegment scales;
    private final boolean perRow;

    /**
     * @param codes  rows of E4M3 codes in {@link InterleavedMatrix}'s layout
     * @param scales F32 (native order): {@code rows} values, or 1 for a per-tensor scale
     */
    public Fp8Matrix(MemorySegment codes, MemorySegment scales, int rows, int cols) {
        super(codes, rows, cols, 1, rowFactors(scales, rows, true, SCALE_FACTOR), GroupOrder.COLUMN_BY_COLUMN);
        this.scales = scales;
        this.perRow = scales.byteSize() == (long) rows * Float.BYTES;
    }

    @Override
    public long bytes() {
        return data.byteSize() + scales.byteSize();
    }

    @Override
    float rowScale(int r) {
        return scales.getAtIndex(FLOAT, perRow ? r : 0);
    }

    /**
     * Two interleaved groups of four rows, far apart (see {@link RowMatrix#multiplyOneToken}), in one
     * loop: one load of the input serves eight rows, one load of codes a group's four rows
     * ({@link InterleavedMatrix.GroupOrder#COLUMN_BY_COLUMN}). The decode is written out (its values
     * are {@link Decode#fp8TimesTwoToMinus120}'s) because eight calls of even a small helper pass
     * C2's inlining budget here and leave the vectors boxed (measured: 7 against 25 GB/s).
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
            FloatVector v = Decode.f32(x, column + k).mul(INPUT_FACTOR);
            // One load per group: the four rows' codes of these N columns, two to a short (rows 0 and 1
            // in the even shorts, 2 and 3 in the odd). Each short's high byte, then its low one, as the
            // upper half of the F32 pattern; the odd shorts are the upper halves of the int lanes already
            // (rows 3 and 2), the even ones are shifted up (rows 1 and 0).
            ShortVector u = ShortVector.fromMemorySegment(S2, data, p, ORDER);
            ShortVector w = ShortVector.fromMemorySegment(S2, data, q, ORDER);
            IntVector u13 = u.lanewise(ASHR, 4).and(Decode.FP8_HALF_FIELDS).reinterpretAsInts();
            IntVector u02 = u.lanewise(LSHL, 8).lanewise(ASHR, 4).and(Decode.FP8_HALF_FIELDS).reinterpretAsInts();
            IntVector w13 = w.lanewise(ASHR, 4).and(Decode.FP8_HALF_FIELDS).reinterpretAsInts();
            IntVector w02 = w.lanewise(LSHL, 8).lanewise(ASHR, 4).and(Decode.FP8_HALF_FIELDS).reinterpretAsInts();
            a0 = u02.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, a0);
            a1 = u13.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, a1);
            a2 = u02.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, a2);
            a3 = u13.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, a3);
            b0 = w02.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, b0);
            b1 = w13.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, b1);
            b2 = w02.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, b2);
            b3 = w13.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, b3);
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
        int s0 = byteShift(r);
        int s1 = byteShift(r + 1);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        FloatVector a0 = Decode.f32(acc, startOf(slot, panel));
        FloatVector a1 = Decode.f32(acc, startOf(slot + 1, panel));
        for (int k = 0; k < width; k += N) {
            FloatVector v = Decode.f32(x, column + k).mul(INPUT_FACTOR);
            a0 = Decode.fp8TimesTwoToMinus120(Decode.codes(data, o0 + (long) k * m0, s0)).fma(v, a0);
            a1 = Decode.fp8TimesTwoToMinus120(Decode.codes(data, o1 + (long) k * m1, s1)).fma(v, a1);
        }
        a0.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
        a1.intoMemorySegment(acc, (long) (slot + 1) * N * Float.BYTES, ORDER);
    }

    @Override
    void dotOne(int r, int panel, MemorySegment x, MemorySegment acc, int slot) {
        long o = rowStart(r, panel);
        int m = groupRows(r);
        int shift = byteShift(r);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        FloatVector a = Decode.f32(acc, startOf(slot, panel));
        for (int k = 0; k < width; k += N) {
            a = Decode.fp8TimesTwoToMinus120(Decode.codes(data, o + (long) k * m, shift))
                    .fma(Decode.f32(x, column + k).mul(INPUT_FACTOR), a);
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    @Override
    void decodeRow(int r, int panel, MemorySegment dst, long at) {
        long o = rowStart(r, panel);
        int m = groupRows(r);
        int shift = byteShift(r);
        int column = panelStart(panel);
        int width = panelColumns(panel);
        for (int k = 0; k < width; k += N) {
            Decode.fp8(Decode.codes(data, o + (long) k * m, shift))
                    .intoMemorySegment(dst, (at + column + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, index(r, k)));
    }
}
