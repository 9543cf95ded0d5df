package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The vector shapes every kernel uses, and the one horizontal sum they all share.
 *
 * <p>Why a hand-written sum: {@code reduceLanes(ADD)} on floats leaves the order unspecified, and it
 * differs between the interpreter and C2-compiled code, so results could change once the JIT warms
 * up. {@link #sum} always adds lane i to lane i + n/2, then i + n/4, ..., a fixed tree.
 */
public final class Lanes {
    /** Float lanes per vector (16 with AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final int N = F.length();
    /** Ints with as many lanes as F (for decoding bytes and shorts into floats). */
    public static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as F: one FP8/INT8 weight per float lane. */
    public static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(N * 8));
    /** Shorts with as many lanes as F: one BF16/FP16 value per float lane. */
    public static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(N * 16));

    public static final ByteOrder ORDER = ByteOrder.nativeOrder();
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    private static final VectorShuffle<Float>[] FOLDS = folds();

    private Lanes() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(N);
        VectorShuffle<Float>[] folds = new VectorShuffle[steps];
        for (int s = 0, half = N / 2; s < steps; s++, half /= 2) {
            int shift = half;
            folds[s] = VectorShuffle.fromOp(F, i -> (i + shift) % N);
        }
        return folds;
    }

    /** Sum of all lanes in a fixed pairwise order (see class comment). */
    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }

    /**
     * The same fixed-order sum as {@link #sum(FloatVector)}, of N floats stored from float index
     * {@code at}, folded in place (the floats are scratch): pairs (i, i + N/2), then (i, i + N/4),
     * ... Lane 0 of each fold is what the vector version keeps, so both give the same bits.
     */
    public static float sumInPlace(MemorySegment lanes, long at) {
        for (int half = N / 2; half >= 1; half /= 2) {
            for (int i = 0; i < half; i++) {
                lanes.setAtIndex(FLOAT, at + i, lanes.getAtIndex(FLOAT, at + i) + lanes.getAtIndex(FLOAT, at + i + half));
            }
        }
        return lanes.getAtIndex(FLOAT, at);
    }

    /** {@code n} rounded up to a whole number of vectors. */
    public static int padded(int n) {
        return (n + N - 1) / N * N;
    }
}
