package io.lpu4j.weights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Symmetric, scale-only weight quantization of a matrix [rows, cols] into a {@link QuantizedTensor}.
 *
 * <p>The rules, which the engine's accuracy depends on and the tests pin down:
 * <ul>
 *   <li>Each group (the whole matrix, a row, or a b × b tile, see {@link Granularity}) gets
 *       {@code scale = amax / maxCodeValue} in float32, amax being the group's largest |weight|:
 *       amax / 448 for FP8 E4M3, amax / 127 for INT8.</li>
 *   <li>Each weight x is stored as {@code codeType.encode(x / scale)}, x / scale being one float32
 *       division (not a multiplication by a precomputed 1 / scale, which would round differently):
 *       FP8 rounds to nearest even and saturates at ±448; INT8 rounds half to even and clamps to
 *       −127..127. The largest weight of a group therefore lands on (or next to) the top code.</li>
 *   <li>A group whose scale would be 0 — all weights zero, or amax so small that amax / maxCodeValue
 *       underflows float32 — gets scale 1 instead. Its codes are then ±0 (FP8 keeps the sign of
 *       zero), its values are exactly ±0 or within 1e-42 of the originals, and no division by zero
 *       or NaN can occur.</li>
 *   <li>Weights must be finite: a NaN or ±∞ weight is refused, naming the element, since it would
 *       make its whole group's scale meaningless.</li>
 * </ul>
 *
 * <p>The matrix is streamed a band of rows at a time (all rows for TENSOR, one row for CHANNEL, b rows
 * for BLOCK): a first pass over the band finds each group's amax, a second encodes. Only one row of
 * floats is ever on the heap, element indices are longs, so matrices beyond 2^31 elements work.
 */
public final class Quantizer {
    /** The usual tile edge for {@link Granularity#BLOCK} (DeepSeek-V3 and Qwen3 FP8 checkpoints use 128). */
    public static final int DEFAULT_BLOCK_SIZE = 128;

    private Quantizer() {
    }

    /**
     * Quantizes a rank-2 floating-point tensor (any float dtype; read exactly as {@link TensorView#getFloat}).
     *
     * @param blockSize the tile edge for {@link Granularity#BLOCK}; ignored (stored as 0) otherwise
     * @param arena     owns the codes and scales
     * @throws InvalidCheckpointException naming the tensor if an element is NaN or infinite
     */
    public static QuantizedTensor quantize(TensorView weight2d, CodeType codeType, Granularity granularity,
                                           int blockSize, Arena arena) {
        if (weight2d.rank() != 2 || !weight2d.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(weight2d + ": only a rank-2 floating-point tensor can be quantized");
        }
        long[] shape = weight2d.shape();
        if (shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(weight2d + ": a dimension exceeds 2^31 - 1");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        RowSource rowsOf = (row, dst) -> weight2d.readFloats((long) row * cols, dst, 0, cols);
        return quantize(weight2d.name(), rows, cols, rowsOf,
                problem -> new InvalidCheckpointException(weight2d.file(), weight2d.name(), problem),
                codeType, granularity, blockSize, arena);
    }

    /** Quantizes a row-major float matrix (tests and synthetic weights). */
    public static QuantizedTensor quantize(String name, float[] values, int rows, int cols, CodeType codeType,
                                           Granularity granularity, int blockSize, Arena arena) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for [" + rows + ", " + cols + "]");
        }
        RowSource rowsOf = (row, dst) -> System.arraycopy(values, row * cols, dst, 0, cols);
        return quantize(name, rows, cols, rowsOf, problem -> new IllegalArgumentException(name + ": " + problem),
                codeType, granularity, blockSize, arena);
    }

    /** Copies row {@code row} of the matrix into {@code dst[0..cols)} as floats. */
    private interface RowSource {
        void read(int row, float[] dst);
    }

    private static QuantizedTensor quantize(String name, int rows, int cols, RowSource source,
                                            Function<String, RuntimeException> invalid, CodeType codeType,
                                            Granularity granularity, int blockSize, Arena arena) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException(name + ": cannot quantize an empty matrix [" + rows + ", " + cols + "]");
        }
        if (granularity == Granularity.BLOCK && blockSize < 1) {
            throw new IllegalArgumentException(name + ": block size " + blockSize + " must be positive");
        }
        int block = granularity == Granularity.BLOCK ? blockSize : 0;
        int bandHeight = switch (granularity) {
            case TENSOR -> rows;
            case CHANNEL -> 1;
            case BLOCK -> block;
        };
        int groupWidth = granularity == Granularity.BLOCK ? block : cols;
        int groupsPerBand = Math.ceilDiv(cols, groupWidth);

        MemorySegment codes = arena.allocate((long) rows * cols, QuantizedTensor.ALIGNMENT);
        MemorySegment scales = arena.allocate(granularity.scaleCount(rows, cols, block) * Float.BYTES,
                QuantizedTensor.ALIGNMENT);
        float[] row = new float[cols];
        byte[] rowCodes = new byte[cols];
        float[] amax = new float[groupsPerBand];
        float[] bandScales = new float[groupsPerBand];
        long firstScale = 0;
        for (int bandStart = 0, bandEnd; bandStart < rows; bandStart = bandEnd) {
            bandEnd = bandStart + Math.min(bandHeight, rows - bandStart); // no int overflow near 2^31 rows
            Arrays.fill(amax, 0f);
            for (int r = bandStart; r < bandEnd; r++) {
                source.read(r, row);
                accumulateAmax(row, groupWidth, amax, r, invalid);
            }
            for (int g = 0; g < groupsPerBand; g++) {
                bandScales[g] = scaleFor(amax[g], codeType);
                scales.setAtIndex(QuantizedTensor.SCALE, firstScale + g, bandScales[g]);
            }
            for (int r = bandStart; r < bandEnd; r++) {
                if (bandEnd - bandStart > 1) {
                    source.read(r, row); // a one-row band is still in the buffer from the first pass
                }
                encodeRow(row, groupWidth, bandScales, codeType, rowCodes);
                MemorySegment.copy(rowCodes, 0, codes, ValueLayout.JAVA_BYTE, (long) r * cols, cols);
            }
            firstScale += groupsPerBand;
        }
        return new QuantizedTensor(name, codeType, granularity, block, rows, cols, codes, scales);
    }

    /** The scale of a group with largest magnitude {@code amax}: amax / maxCodeValue, or 1 where that is 0. */
    private static float scaleFor(float amax, CodeType codeType) {
        float scale = amax / codeType.maxCodeValue();
        return scale == 0f ? 1f : scale;
    }

    private static void accumulateAmax(float[] row, int groupWidth, float[] amax, int r,
                                       Function<String, RuntimeException> invalid) {
        for (int groupStart = 0, g = 0; groupStart < row.length; groupStart += groupWidth, g++) {
            int groupEnd = Math.min(row.length, groupStart + groupWidth);
            float max = amax[g];
            for (int c = groupStart; c < groupEnd; c++) {
                max = Math.max(max, Math.abs(row[c]));
            }
            if (!(max <= Float.MAX_VALUE)) { // NaN or infinity somewhere in this stretch: find it
                for (int c = groupStart; c < groupEnd; c++) {
                    if (!Float.isFinite(row[c])) {
                        throw invalid.apply("element [" + r + ", " + c + "] is " + row[c]
                                + "; only finite weights can be quantized");
                    }
                }
            }
            amax[g] = max;
        }
    }

    /** The code type is tested once per group, not per weight, so each inner loop has a constant encoder. */
    private static void encodeRow(float[] row, int groupWidth, float[] groupScales, CodeType codeType, byte[] out) {
        for (int groupStart = 0, g = 0; groupStart < row.length; groupStart += groupWidth, g++) {
            float scale = groupScales[g];
            int groupEnd = Math.min(row.length, groupStart + groupWidth);
            if (codeType == CodeType.FP8_E4M3) {
                for (int c = groupStart; c < groupEnd; c++) {
                    out[c] = CodeType.FP8_E4M3.encode(row[c] / scale);
                }
            } else {
                for (int c = groupStart; c < groupEnd; c++) {
                    out[c] = CodeType.INT8.encode(row[c] / scale);
                }
            }
        }
    }
}
