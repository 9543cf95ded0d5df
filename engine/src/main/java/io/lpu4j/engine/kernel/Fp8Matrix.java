package io.lpu4j.engine.kernel;

import io.lpu4j.weights.Fp8E4M3;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.lpu4j.engine.kernel.Lanes.B;
import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.N;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * FP8 E4M3 weights with one F32 scale per row (per-channel) or one for the whole matrix
 * (per-tensor): result = (Σ decode(code)·x) × scale.
 *
 * <p>One token streams each row's bytes once, two rows per loop so two accumulator chains
 * overlap. Why not four: with four inlined decoders the loop body passes C2's inlining node cutoff,
 * the decoder stops being inlined, and throughput drops 4× (measured: 5 vs 20 weights/ns).
 */
public final class Fp8Matrix extends RowMatrix {
    private final MemorySegment scales;
    private final boolean perRow;

    /**
     * @param codes  rows of E4M3 codes in {@link RowLayout}
     * @param scales F32 (native order): {@code rows} values, or 1 for a per-tensor scale
     */
    public Fp8Matrix(MemorySegment codes, MemorySegment scales, int rows, int cols) {
        super(codes, rows, cols, 1);
        this.scales = scales;
        this.perRow = scales.byteSize() == (long) rows * Float.BYTES;
        if (!perRow && scales.byteSize() != Float.BYTES) {
            throw new IllegalArgumentException("scales must hold 1 or " + rows + " floats");
        }
    }

    @Override
    public long bytes() {
        return data.byteSize() + scales.byteSize();
    }

    @Override
    float rowScale(int r) {
        return scales.getAtIndex(FLOAT, perRow ? r : 0);
    }

    @Override
    void dotPair(int r, MemorySegment x, MemorySegment acc, int slot) {
        long o0 = (long) r * stride;
        long o1 = o0 + stride;
        int width = Lanes.padded(cols);
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        for (int k = 0; k < width; k += N) {
            FloatVector v = DecodedTiles.load(x, k);
            a0 = Decode.fp8(ByteVector.fromMemorySegment(B, data, o0 + k, ORDER)).fma(v, a0);
            a1 = Decode.fp8(ByteVector.fromMemorySegment(B, data, o1 + k, ORDER)).fma(v, a1);
        }
        a0.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
        a1.intoMemorySegment(acc, (long) (slot + 1) * N * Float.BYTES, ORDER);
    }

    @Override
    void dotOne(int r, MemorySegment x, MemorySegment acc, int slot) {
        long o = (long) r * stride;
        int width = Lanes.padded(cols);
        FloatVector a = FloatVector.zero(F);
        for (int k = 0; k < width; k += N) {
            a = Decode.fp8(ByteVector.fromMemorySegment(B, data, o + k, ORDER)).fma(DecodedTiles.load(x, k), a);
        }
        a.intoMemorySegment(acc, (long) slot * N * Float.BYTES, ORDER);
    }

    @Override
    void decodeRow(int r, MemorySegment dst, long at) {
        long o = (long) r * stride;
        int width = Lanes.padded(cols);
        for (int k = 0; k < width; k += N) {
            Decode.fp8(ByteVector.fromMemorySegment(B, data, o + k, ORDER))
                    .intoMemorySegment(dst, (at + k) * Float.BYTES, ORDER);
        }
    }

    @Override
    float element(int r, int k) {
        return Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, (long) r * stride + k));
    }
}
