package io.lpu4j.weights;

/** Which weights share one scale. Weights are matrices [rows = output features, cols = input features]. */
public enum Granularity {
    /** One scale for the whole matrix. */
    TENSOR,
    /** One scale per output row ("per channel"): {@code rows} scales. */
    CHANNEL,
    /**
     * One scale per b × b tile, the last tiles of a row or column cut short when rows or cols are not
     * multiples of b: ceil(rows / b) × ceil(cols / b) scales, row-major by (block row, block column).
     */
    BLOCK;

    /** How many scales a rows × cols matrix has; {@code blockSize} matters only for {@link #BLOCK}. */
    public long scaleCount(int rows, int cols, int blockSize) {
        return switch (this) {
            case TENSOR -> 1;
            case CHANNEL -> rows;
            case BLOCK -> (long) Math.ceilDiv(rows, blockSize) * Math.ceilDiv(cols, blockSize);
        };
    }
}
