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
 * FP8 E4M3 weights with one F32 scale per square block (DeepSeek-V3 style, 128×128 by default).
 *
 * <p>Order: each row's products with one column block are summed on their own (one vector
 * accumulator from zero, columns ascending), and that sum times the block's scale is added by FMA
 * to the row's total, block after block; then the lanes are summed ({@link LaneSums}). This is how
 * block-scaled GEMMs apply their scales (DeepSeek-V3 promotes each 128-column partial sum and scales
 * it), and it costs one FMA per block and row instead of one multiply per weight: scaling each
 * weight first (w = fl(code·scale), the order of F32 over the dequantized matrix, used until
 * 2026-11-28) capped the one-token loop at 35 weights/ns in cache against 50 for per-channel FP8.
 * Measured (JMH {@code MatVecBenchmark}, FP8_BLOCK one thread, single forks of each build taking
 * turns, products/s): 5632×2048 2976–3062 against 2654–2676, 2048×5632 2506–2618 against
 * 2331–2401. The prefill path sums the same blocks in the same order ({@link DecodedTiles}), so
 * both give the same bits; column panels ({@link InterleavedMatrix}) hold whole blocks, so no
 * block is split between two passes.
 *
 * <p>One token, eight rows at a time: the decode gives the cheap {@link Decode#fp8TimesTwoToMinus120}'s values,
 * the input is scaled by 2^64 and the block scales by 2^56, as in {@link Fp8Matrix}, so each block
 * sum is the exact one times 2^-56 and each scaled sum the exact one — provided scale·2^56 is a
 * finite float, i.e. every scale is below 2^72 (real checkpoints' scales are ~1e-4..1e-2; a matrix
 * with larger ones takes the exact decode throughout).
 */
public final class Fp8BlockMatrix extends InterleavedMatrix {
    private static final float INPUT_FACTOR = 0x1p64f;
    private static final float SCALE_FACTOR = 0x1p56f;
    private final BlockScales blocks;
    /** Every block scale times 2^56 is finite, hence exact (see the class comment). */
    private final boolean rebasedScalesExact;

    /**
     * @param codes     rows of E4M3 codes in {@link InterleavedMatrix}'s layout, with panels whole
     *                  multiples of {@code blockSize} columns
     * @param scales    F32 (native order), [ceil(rows / blockSize)][ceil(cols / blockSize)]
     * @param blockSize a multiple of 64
     */
    public Fp8BlockMatrix(MemorySegment codes, MemorySegment scales, int rows, int cols, int blockSize) {
        super(codes, rows, cols, 1, null, checkedBlockSize(blockSize), GroupOrder.COLUMN_BY_COLUMN);
        int blocksPerRow = (cols + blockSize - 1) / blockSize;
        long expected = (long) ((rows + blockSize - 1) / blockSize) * blocksPerRow * Float.BYTES;
        if (scales.byteSize() != expected) {
            throw new IllegalArgumentException("block scales hold " + scales.byteSize() + " bytes, expected " + expected);
        }
        this.blocks = new BlockScales(scales, blockSize, blocksPerRow);
        boolean exact = true;
        for (long i = 0; i < scales.byteSize() / Float.BYTES; i++) {
            exact &= Float.isFinite(scales.getAtIndex(FLOAT, i) * SCALE_FACTOR);
        }
        this.rebasedScalesExact = exact;
    }

    private static int checkedBlockSize(int blockSize) {
        if (blockSize <= 0 || blockSize % RowLayout.ALIGNMENT != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 64, got " + blockSize);
        }
        return blockSize;
    }

    @Override
    public long bytes() {
        return data.byteSize() + blocks.scales().byteSize();
    }

    @Override
    float rowScale(int r) {
        return 1f;
    }

    @Override
    BlockScales blockScales() {
        return blocks;
    }

    /**
     * Where the column block holding panel column {@code k} ends, as a panel column, at most
     * {@code width}: a panel ({@code column} its first column) starts on a block.
     */
    private int blockEnd(int column, int k, int width) {
        return Math.min(width, ((column + k) / blocks.size() + 1) * blocks.size() - column);
    }

    /**
     * Two interleaved groups of four rows in one loop; the decode written out, as in
     * {@link Fp8Matrix#dotTwoFours}, and each block's eight sums kept apart from the eight totals.
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
        // A group's four rows lie in one row block (blocks are multiples of 64 rows, groups start on
        // multiples of 4), so they share each column block's scale: one per group.
        long firstScales = blocks.rowStart(first) + column / blocks.size();
        long secondScales = blocks.rowStart(second) + column / blocks.size();
        for (int block = 0, end, j = 0; block < width; block = end, j++) {
            FloatVector firstScale = FloatVector.broadcast(F, blocks.at(firstScales + j) * SCALE_FACTOR);
            FloatVector secondScale = FloatVector.broadcast(F, blocks.at(secondScales + j) * SCALE_FACTOR);
            end = blockEnd(column, block, width);
            FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0, d0 = c0, d1 = c0, d2 = c0, d3 = c0;
            for (int k = block; k < end; k += step) {
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
                c0 = u02.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, c0);
                c1 = u13.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, c1);
                c2 = u02.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, c2);
                c3 = u13.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, c3);
                d0 = w02.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, d0);
                d1 = w13.lanewise(LSHL, 16).reinterpretAsFloats().fma(v, d1);
                d2 = w02.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, d2);
                d3 = w13.and(Decode.UPPER_HALF).reinterpretAsFloats().fma(v, d3);
            }
            a0 = c0.fma(firstScale, a0);
            a1 = c1.fma(firstScale, a1);
            a2 = c2.fma(firstScale, a2);
            a3 = c3.fma(firstScale, a3);
            b0 = d0.fma(secondScale, b0);
            b1 = d1.fma(secondScale, b1);
            b2 = d2.fma(secondScale, b2);
            b3 = d3.fma(secondScale, b3);
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
        for (int block = 0, end; block < width; block = end) {
            end = blockEnd(column, block, width);
            FloatVector c0 = FloatVector.zero(F);
            FloatVector c1 = c0;
            for (int k = block; k < end; k += N) {
                FloatVector v = Decode.f32(x, column + k);
                c0 = Decode.fp8(Decode.codes(data, o0 + (long) k * m0, s0)).fma(v, c0);
                c1 = Decode.fp8(Decode.codes(data, o1 + (long) k * m1, s1)).fma(v, c1);
            }
            a0 = c0.fma(FloatVector.broadcast(F, blocks.of(r, column + block)), a0);
            a1 = c1.fma(FloatVector.broadcast(F, blocks.of(r + 1, column + block)), a1);
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
        for (int block = 0, end; block < width; block = end) {
            end = blockEnd(column, block, width);
            FloatVector c = FloatVector.zero(F);
            for (int k = block; k < end; k += N) {
                c = Decode.fp8(Decode.codes(data, o + (long) k * m, shift))
                        .fma(Decode.f32(x, column + k), c);
            }
            a = c.fma(FloatVector.broadcast(F, blocks.of(r, column + block)), a);
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
        return Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, index(r, k))) * blocks.of(r, k);
    }
}
