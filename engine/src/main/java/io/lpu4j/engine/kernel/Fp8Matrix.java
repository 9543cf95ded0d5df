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
 * FP8 E4M3 weights with one F32 scale per row (per-channel) or one for the whole matrix
 * (per-tensor): result = (Σ decode(code)·x) × scale.
 *
 * <p>One token: each row's bytes are streamed once, eight rows per loop (two interleaved groups of
 * four from the two halves of the row range, {@link InterleavedMatrix},
 * {@link RowMatrix#multiplyOneToken}): eight accumulator chains hide the FMA latency, one load of the
 * input serves eight rows, and each step reads one whole cache line from each of two streams far
 * apart.
 *
 * <p>The decode is {@link Decode#fp8TimesTwoToMinus120} (3 operations instead of the 9 of the exact
 * {@link Decode#fp8}), so the weights come out scaled by 2^-120; the input is scaled by 2^64 as it
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
        super(codes, rows, cols, 1, rowFactors(scales, rows, true, SCALE_FACTOR));
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
     * loop: one load of the input serves eight rows. The decode is written out (it is
     * {@link Decode#fp8TimesTwoToMinus120}) because eight calls of even a small helper pass C2's
     * inlining budget here and leave the vectors boxed (measured: 7 against 25 GB/s).
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
        FloatVector a0 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at, ORDER);
        FloatVector a1 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at + b, ORDER);
        FloatVector a2 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at + 2 * b, ORDER);
        FloatVector a3 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, at + 3 * b, ORDER);
        FloatVector b0 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt, ORDER);
        FloatVector b1 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt + b, ORDER);
        FloatVector b2 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt + 2 * b, ORDER);
        FloatVector b3 = panel == 0 ? FloatVector.zero(F) : FloatVector.fromMemorySegment(F, acc, bt + 3 * b, ORDER);
        for (int k = 0; k < width; k += step) {
            long p = firstAt + (long) GROUP * k;
            long q = secondAt + (long) GROUP * k;
            FloatVector v = Decode.f32(x, column + k).mul(INPUT_FACTOR);
            a0 = ((IntVector) ByteVector.fromMemorySegment(B, data, p, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, a0);
            a1 = ((IntVector) ByteVector.fromMemorySegment(B, data, p + N, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, a1);
            a2 = ((IntVector) ByteVector.fromMemorySegment(B, data, p + 2 * N, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, a2);
            a3 = ((IntVector) ByteVector.fromMemorySegment(B, data, p + 3 * N, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, a3);
            b0 = ((IntVector) ByteVector.fromMemorySegment(B, data, q, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, b0);
            b1 = ((IntVector) ByteVector.fromMemorySegment(B, data, q + N, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, b1);
            b2 = ((IntVector) ByteVector.fromMemorySegment(B, data, q + 2 * N, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, b2);
            b3 = ((IntVector) ByteVector.fromMemorySegment(B, data, q + 3 * N, ORDER).convertShape(B2I, I, 0))
                    .lanewise(LSHL, 20).and(Decode.FP8_FIELDS).reinterpretAsFloats().fma(v, b3);
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
        for (int k = 0; k < width; k += N) {
            FloatVector v = Decode.f32(x, column + k).mul(INPUT_FACTOR);
            a0 = Decode.fp8TimesTwoToMinus120(ByteVector.fromMemorySegment(B, data, o0 + (long) k * m0, ORDER)).fma(v, a0);
            a1 = Decode.fp8TimesTwoToMinus120(ByteVector.fromMemorySegment(B, data, o1 + (long) k * m1, ORDER)).fma(v, a1);
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
        for (int k = 0; k < width; k += N) {
            a = Decode.fp8TimesTwoToMinus120(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER))
                    .fma(Decode.f32(x, column + k).mul(INPUT_FACTOR), a);
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
            Decode.fp8(ByteVector.fromMemorySegment(B, data, o + (long) k * m, ORDER))
                    .intoMemorySegment(dst, (at + column + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, index(r, k)));
    }
}
