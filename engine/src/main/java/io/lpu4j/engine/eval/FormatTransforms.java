package io.lpu4j.engine.eval;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.plan.StorageType;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Bf16;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.Granularity;
import io.lpu4j.weights.Quantizer;

import java.lang.foreign.Arena;

/**
 * Each {@link WeightFormat} as a {@link MatrixTransform}: the weight quantized exactly as the
 * executor's shards hold it (same {@link Quantizer}, same scales), then dequantized to float. Run
 * through the F32 reference, this isolates the format's rounding from everything else the fast path
 * does.
 */
public final class FormatTransforms {
    private FormatTransforms() {
    }

    /** @param blockSize the tile edge of {@link WeightFormat#FP8_BLOCK}, ignored otherwise */
    public static MatrixTransform of(WeightFormat format, int blockSize) {
        StorageType storage = format.linearStorage();
        return switch (storage) {
            case F32 -> MatrixTransform.IDENTITY;
            case BF16 -> FormatTransforms::bf16;
            // The quantizer ignores the block size for the granularities without blocks.
            default -> quantized(storage.codeType(), storage.granularity(), blockSize);
        };
    }

    private static MatrixTransform quantized(CodeType code, Granularity granularity, int blockSize) {
        return (name, values, rows, cols) -> {
            try (Arena arena = Arena.ofShared()) { // not confined: see WeightStore.fill
                return Quantizer.quantize(name, values, rows, cols, code, granularity, blockSize, arena).dequantize();
            }
        };
    }

    /** Round to nearest even BF16, as the executor stores BF16 weights. */
    private static float[] bf16(String name, float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Bf16.toFloat(Bf16.fromFloat(values[i]));
        }
        return out;
    }
}
