package io.lpu4j.engine.plan;

import io.lpu4j.engine.kernel.Bf16Matrix;
import io.lpu4j.engine.kernel.F32Matrix;
import io.lpu4j.engine.kernel.Fp8BlockMatrix;
import io.lpu4j.engine.kernel.Fp8Matrix;
import io.lpu4j.engine.kernel.Int8Matrix;
import io.lpu4j.engine.kernel.InterleavedMatrix;
import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.Granularity;

import java.lang.foreign.MemorySegment;

/**
 * How one tensor sits in a shard: element type, and, for quantized storage, the code type and the
 * granularity of the F32 scales stored beside the codes.
 */
public enum StorageType {
    F32(4, null, null), BF16(2, null, null),
    FP8_TENSOR(1, CodeType.FP8_E4M3, Granularity.TENSOR),
    FP8_CHANNEL(1, CodeType.FP8_E4M3, Granularity.CHANNEL),
    FP8_BLOCK(1, CodeType.FP8_E4M3, Granularity.BLOCK),
    INT8_CHANNEL(1, CodeType.INT8, Granularity.CHANNEL);

    private final int elementBytes;
    private final CodeType codeType;
    private final Granularity granularity;

    StorageType(int elementBytes, CodeType codeType, Granularity granularity) {
        this.elementBytes = elementBytes;
        this.codeType = codeType;
        this.granularity = granularity;
    }

    public int elementBytes() {
        return elementBytes;
    }

    /** True if the tensor carries F32 scales beside its codes. */
    public boolean scaled() {
        return granularity != null;
    }

    /** The code type of quantized storage (null for F32 and BF16). */
    public CodeType codeType() {
        return codeType;
    }

    /** The scale granularity of quantized storage (null for F32 and BF16). */
    public Granularity granularity() {
        return granularity;
    }

    /**
     * Rows the one-token kernels read together as one interleaved group ({@link InterleavedMatrix}):
     * 1 for F32, which stays row-major (its loop decodes nothing, and interleaved it measured slower).
     */
    public int rowGroup() {
        return this == F32 ? 1 : InterleavedMatrix.GROUP;
    }

    /**
     * Rearranges {@code rowCount} rows written in {@link io.lpu4j.engine.kernel.RowLayout} ({@code
     * stride} elements each) into the layout this type's kernels read, in place: interleaved groups,
     * or nothing to do for F32. {@code blockSize} matters to FP8_BLOCK only, whose column panels
     * hold whole blocks ({@link Fp8BlockMatrix}).
     */
    public void arrange(MemorySegment rows, int rowCount, int stride, int blockSize) {
        if (rowGroup() > 1) {
            InterleavedMatrix.interleave(rows, rowCount, stride, elementBytes,
                    this == FP8_BLOCK ? blockSize : RowLayout.ALIGNMENT, groupOrder());
        }
    }

    /** How whole interleaved groups hold their rows: FP8 codes column by column, the rest row by row. */
    private InterleavedMatrix.GroupOrder groupOrder() {
        return codeType == CodeType.FP8_E4M3 ? InterleavedMatrix.GroupOrder.COLUMN_BY_COLUMN
                : InterleavedMatrix.GroupOrder.ROW_BY_ROW;
    }

    /**
     * The kernel that reads {@code rows} rows of this type: {@code data} arranged as {@link #arrange}
     * leaves it, {@code scales} the F32 scales beside it (ignored by F32 and BF16).
     */
    public WeightMatrix matrix(MemorySegment data, MemorySegment scales, int rows, int cols, int blockSize) {
        return switch (this) {
            case F32 -> new F32Matrix(data, rows, cols);
            case BF16 -> new Bf16Matrix(data, rows, cols);
            case FP8_TENSOR, FP8_CHANNEL -> new Fp8Matrix(data, scales, rows, cols);
            case FP8_BLOCK -> new Fp8BlockMatrix(data, scales, rows, cols, blockSize);
            case INT8_CHANNEL -> new Int8Matrix(data, scales, rows, cols);
        };
    }

    /** Number of F32 scales for {@code rowCount} rows of a [* × cols] tensor. */
    public long scaleCount(int rowCount, int cols, int blockSize) {
        return scaled() ? granularity.scaleCount(rowCount, cols, blockSize) : 0;
    }
}
