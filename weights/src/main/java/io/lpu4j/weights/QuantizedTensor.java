package io.lpu4j.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A weight matrix stored as one byte per weight plus float32 scales. This layout is what the
 * engine's kernels read:
 * <ul>
 *   <li>{@code codes}: rows × cols bytes, row-major, rows contiguous (no padding). The
 *       {@link Quantizer} allocates them 64-byte aligned; codes read from a checkpoint
 *       ({@link Fp8CheckpointTensors}) are the mapped file bytes themselves, aligned as the file
 *       happens to place them.</li>
 *   <li>{@code scales}: little-endian float32, {@link Granularity#scaleCount} of them: one
 *       ({@link Granularity#TENSOR}), one per row ({@link Granularity#CHANNEL}), or one per
 *       blockSize × blockSize tile, row-major by (block row, block column) ({@link Granularity#BLOCK}).</li>
 * </ul>
 * The value a weight stands for is {@code codeType.decode(code[r][c]) × scale(r, c)}, one float32
 * multiplication (so exactly what a float32 kernel computes).
 *
 * @param blockSize the tile edge for {@link Granularity#BLOCK}, and 0 for the other granularities
 */
public record QuantizedTensor(String name, CodeType codeType, Granularity granularity, int blockSize,
                              int rows, int cols, MemorySegment codes, MemorySegment scales) {

    /** Layout of one scale: float32, little-endian whatever the platform, 4-byte aligned. */
    public static final ValueLayout.OfFloat SCALE = ValueLayout.JAVA_FLOAT.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Alignment of the segments the quantizer allocates (a cache line, and any vector width). */
    public static final long ALIGNMENT = 64;

    public QuantizedTensor {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(name + ": shape [" + rows + ", " + cols + "] is empty");
        }
        if ((granularity == Granularity.BLOCK) != (blockSize > 0) || blockSize < 0) {
            throw new IllegalArgumentException(name + ": block size " + blockSize + " does not suit " + granularity
                    + " (positive for BLOCK, 0 otherwise)");
        }
        if (codes.byteSize() != (long) rows * cols) {
            throw new IllegalArgumentException(name + ": " + codes.byteSize() + " code bytes for [" + rows + ", "
                    + cols + "]");
        }
        long scaleCount = granularity.scaleCount(rows, cols, blockSize);
        if (scales.byteSize() != scaleCount * Float.BYTES) {
            throw new IllegalArgumentException(name + ": " + scales.byteSize() + " scale bytes, expected "
                    + scaleCount + " float32 values for " + granularity);
        }
        if (scales.maxByteAlignment() < Float.BYTES || scales.address() % Float.BYTES != 0) {
            throw new IllegalArgumentException(name + ": scales are not 4-byte aligned");
        }
    }

    /** Number of scales. */
    public long scaleCount() {
        return granularity.scaleCount(rows, cols, blockSize);
    }

    /** Index into {@code scales} of the scale that weight (row, col) uses. */
    public long scaleIndex(int row, int col) {
        return switch (granularity) {
            case TENSOR -> 0;
            case CHANNEL -> row;
            case BLOCK -> (long) (row / blockSize) * Math.ceilDiv(cols, blockSize) + col / blockSize;
        };
    }

    public float scale(int row, int col) {
        return scales.getAtIndex(SCALE, scaleIndex(row, col));
    }

    public byte code(int row, int col) {
        return codes.get(ValueLayout.JAVA_BYTE, (long) row * cols + col);
    }

    /** The value weight (row, col) stands for: decode(code) × scale, in float32. */
    public float valueAt(int row, int col) {
        return codeType.decode(code(row, col)) * scale(row, col);
    }

    /** Row {@code row} dequantized into {@code dst[0..cols)}, each value exactly as {@link #valueAt}. */
    public void dequantizeRow(int row, float[] dst) {
        long rowStart = (long) row * cols;
        for (int col = 0; col < cols; col++) {
            byte code = codes.get(ValueLayout.JAVA_BYTE, rowStart + col);
            dst[col] = codeType.decode(code) * scale(row, col);
        }
    }

    /** All values, row-major, for matrices of fewer than 2^31 elements (tests, reports, small models). */
    public float[] dequantize() {
        long n = (long) rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(name + " has " + n + " elements, too many for a float[]");
        }
        float[] out = new float[(int) n];
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            dequantizeRow(r, row);
            System.arraycopy(row, 0, out, r * cols, cols);
        }
        return out;
    }
}
