package io.lpu4j.engine.plan;

/** How one tensor sits in a shard: element type, and where its scales are. */
public enum StorageType {
    F32(4, false), BF16(2, false),
    FP8_TENSOR(1, true), FP8_CHANNEL(1, true), FP8_BLOCK(1, true), INT8_CHANNEL(1, true);

    private final int elementBytes;
    private final boolean scaled;

    StorageType(int elementBytes, boolean scaled) {
        this.elementBytes = elementBytes;
        this.scaled = scaled;
    }

    public int elementBytes() {
        return elementBytes;
    }

    /** True if the tensor carries F32 scales beside its codes. */
    public boolean scaled() {
        return scaled;
    }

    /** Number of F32 scales for rows [rowFrom, rowTo) of a [* × cols] tensor. */
    public long scaleCount(int rowCount, int cols, int blockSize) {
        return switch (this) {
            case F32, BF16 -> 0;
            case FP8_TENSOR -> 1;
            case FP8_CHANNEL, INT8_CHANNEL -> rowCount;
            case FP8_BLOCK -> (long) Math.ceilDiv(rowCount, blockSize) * Math.ceilDiv(cols, blockSize);
        };
    }
}
