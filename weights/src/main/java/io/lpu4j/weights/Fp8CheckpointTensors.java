package io.lpu4j.weights;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * FP8 E4M3 weights as real checkpoints store them: the codes as an {@code F8_E4M3} tensor
 * {@code X.weight} [out, in], the scales beside it in one of the {@link Fp8ScaleConvention}s.
 */
public final class Fp8CheckpointTensors {
    private Fp8CheckpointTensors() {
    }

    /**
     * The FP8 weight {@code weightName} and its scales as a {@link QuantizedTensor}. The codes are the
     * mapped checkpoint bytes themselves (an F8_E4M3 [out, in] tensor already is rows × cols bytes,
     * row-major), valid while the checkpoint is open; the scales are converted to float32 (exactly,
     * from F32, BF16 or F16) into a fresh 64-byte-aligned segment.
     *
     * @param blockSize the tile edge b for {@link Fp8ScaleConvention#WEIGHT_SCALE_INV} (see
     *                  {@link #blockSizeFromConfig}); ignored for {@link Fp8ScaleConvention#WEIGHT_SCALE}
     * @throws InvalidCheckpointException naming the file and tensor if the weight or its scale is
     *                                    missing, of the wrong dtype or shape, or a scale is not finite
     */
    public static QuantizedTensor read(Checkpoint checkpoint, String weightName, Fp8ScaleConvention convention,
                                       int blockSize) {
        if (convention == Fp8ScaleConvention.WEIGHT_SCALE_INV && blockSize < 1) {
            throw new IllegalArgumentException("block size " + blockSize + " must be positive");
        }
        TensorView weight = checkpoint.tensor(weightName);
        long[] shape = weight.shape();
        if (weight.dtype() != DType.F8_E4M3) {
            throw new InvalidCheckpointException(weight.file(), weightName, "dtype " + weight.dtype()
                    + ", but an FP8 weight must be F8_E4M3");
        }
        if (shape.length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > Integer.MAX_VALUE
                || shape[1] > Integer.MAX_VALUE) {
            throw new InvalidCheckpointException(weight.file(), weightName, "shape " + Arrays.toString(shape)
                    + " is not a non-empty matrix [out, in]");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        String scaleName = convention.scaleName(weightName);
        TensorView scale = checkpoint.find(scaleName).orElseThrow(() -> new InvalidCheckpointException(
                checkpoint.directory(), scaleName, "missing, but FP8 weight '" + weightName + "' needs it ("
                + convention + " convention)"));
        if (scale.dtype() != DType.F32 && scale.dtype() != DType.BF16 && scale.dtype() != DType.F16) {
            throw new InvalidCheckpointException(scale.file(), scaleName, "dtype " + scale.dtype()
                    + ", but scales must be F32, BF16 or F16");
        }
        Granularity granularity = granularity(convention, scale, rows, cols, blockSize);
        int block = granularity == Granularity.BLOCK ? blockSize : 0;
        return new QuantizedTensor(weightName, CodeType.FP8_E4M3, granularity, block, rows, cols, weight.data(),
                copyScales(scale));
    }

    /** Which granularity the scale's shape means, or an error naming what was expected. */
    private static Granularity granularity(Fp8ScaleConvention convention, TensorView scale, int rows, int cols,
                                           int blockSize) {
        long[] s = scale.shape();
        if (convention == Fp8ScaleConvention.WEIGHT_SCALE_INV) {
            long[] expected = {Math.ceilDiv(rows, blockSize), Math.ceilDiv(cols, blockSize)};
            if (!Arrays.equals(s, expected)) {
                throw new InvalidCheckpointException(scale.file(), scale.name(), "shape " + Arrays.toString(s)
                        + " does not fit a [" + rows + ", " + cols + "] weight in " + blockSize + " × " + blockSize
                        + " blocks, which needs " + Arrays.toString(expected));
            }
            return Granularity.BLOCK;
        }
        if (scale.elementCount() == 1 && s.length <= 1) {
            return Granularity.TENSOR;
        }
        if ((s.length == 1 && s[0] == rows) || (s.length == 2 && s[0] == rows && s[1] == 1)) {
            return Granularity.CHANNEL;
        }
        throw new InvalidCheckpointException(scale.file(), scale.name(), "shape " + Arrays.toString(s)
                + " is neither per tensor ([] or [1]) nor per channel ([" + rows + "] or [" + rows + ", 1])");
    }

    private static MemorySegment copyScales(TensorView scale) {
        long n = scale.elementCount();
        MemorySegment out = Arena.ofAuto().allocate(n * Float.BYTES, QuantizedTensor.ALIGNMENT);
        for (long i = 0; i < n; i++) {
            float value = scale.getFloat(i);
            if (!Float.isFinite(value)) {
                throw new InvalidCheckpointException(scale.file(), scale.name(), "element " + i + " is " + value
                        + "; scales must be finite");
            }
            out.setAtIndex(QuantizedTensor.SCALE, i, value);
        }
        return out;
    }

    /**
     * The tensors that store {@code quantized} under {@code weightName} in the convention its
     * granularity calls for: the F8_E4M3 codes [rows, cols], and F32 scales as {@code weightName_scale}
     * [1] (TENSOR) or [rows, 1] (CHANNEL), or {@code weightName_scale_inv} [ceil(rows/b), ceil(cols/b)]
     * (BLOCK). Reading them back with {@link #read} gives the same codes and scales, bit for bit.
     */
    public static List<SafetensorsWriter.Entry> entries(String weightName, QuantizedTensor quantized) {
        if (quantized.codeType() != CodeType.FP8_E4M3) {
            throw new IllegalArgumentException(quantized.name() + " holds " + quantized.codeType()
                    + " codes; only FP8 E4M3 has a checkpoint convention");
        }
        int rows = quantized.rows();
        int cols = quantized.cols();
        long[] scaleShape = scaleShape(quantized.granularity(), rows, cols, quantized.blockSize());
        String scaleName = Fp8ScaleConvention.of(quantized.granularity()).scaleName(weightName);
        return List.of(
                new SafetensorsWriter.Entry(weightName, DType.F8_E4M3, new long[] {rows, cols},
                        dst -> dst.copyFrom(quantized.codes())),
                // QuantizedTensor scales already are little-endian float32, the safetensors F32 layout.
                new SafetensorsWriter.Entry(scaleName, DType.F32, scaleShape, dst -> dst.copyFrom(quantized.scales())));
    }

    /** Shape of the scale tensor checkpoints store for a [rows, cols] weight: [1], [rows, 1] or the block grid. */
    public static long[] scaleShape(Granularity granularity, int rows, int cols, int blockSize) {
        return switch (granularity) {
            case TENSOR -> new long[] {1};
            case CHANNEL -> new long[] {rows, 1};
            case BLOCK -> new long[] {Math.ceilDiv(rows, blockSize), Math.ceilDiv(cols, blockSize)};
        };
    }

    /**
     * The block size b of a block-quantized FP8 model, from {@code quantization_config.weight_block_size}
     * [bo, bi] in its {@code config.json}. Only square blocks (bo == bi) are supported.
     *
     * @throws InvalidCheckpointException naming the file if the entry is missing, malformed or not square
     */
    public static int blockSizeFromConfig(Path configJson) {
        JsonNode config = JsonFiles.read(configJson);
        JsonNode size = config.path("quantization_config").path("weight_block_size");
        if (!size.isArray() || size.size() != 2 || !isPositiveInt(size.get(0)) || !isPositiveInt(size.get(1))) {
            throw new InvalidCheckpointException(configJson, "quantization_config.weight_block_size is "
                    + (size.isMissingNode() ? "missing" : size.toString()) + ", expected [rows, cols] of positive integers");
        }
        int blockRows = size.get(0).intValue();
        int blockCols = size.get(1).intValue();
        if (blockRows != blockCols) {
            throw new InvalidCheckpointException(configJson, "quantization_config.weight_block_size " + size
                    + " is not square; only square blocks (b × b) are supported");
        }
        return blockRows;
    }

    private static boolean isPositiveInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.intValue() > 0;
    }
}
