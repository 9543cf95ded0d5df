package io.lpu4j.engine.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The vector shapes every kernel uses (horizontal sums are in {@link LaneSums}). */
public final class Lanes {
    static {
        VectorWidth.require();
    }

    /** Float lanes per vector (16 with AVX-512). */
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final int N = F.length();
    /** Ints with as many lanes as F (for decoding bytes and shorts into floats). */
    public static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as F: one FP8/INT8 weight per float lane. */
    public static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(N * 8));
    /** Shorts with as many lanes as F: one BF16/FP16 value per float lane. */
    public static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(N * 16));
    /**
     * Shorts with twice as many lanes as F: one chunk of a column-by-column FP8 group (four bytes,
     * two shorts, per float lane; {@link InterleavedMatrix.GroupOrder#COLUMN_BY_COLUMN}).
     */
    public static final VectorSpecies<Short> S2 = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(N * 32));

    public static final ByteOrder ORDER = ByteOrder.nativeOrder();
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    public static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    private Lanes() {
    }

    /** {@code n} rounded up to a whole number of vectors. */
    public static int padded(int n) {
        return (n + N - 1) / N * N;
    }
}
