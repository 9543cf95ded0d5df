package io.lpu4j.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.lpu4j.weights.Fp8ScaleConvention;

import java.util.ArrayList;
import java.util.List;

/**
 * How a checkpoint's own weights are already quantized, from {@code config.json}'s
 * {@code quantization_config}. Two FP8 E4M3 conventions are read, the two common on the Hugging Face
 * Hub: {@code weight_scale} (compressed-tensors "float-quantized" per tensor or per channel, and
 * FBGEMM per channel) and {@code weight_scale_inv} with square {@code weight_block_size} blocks
 * (DeepSeek-V3, Qwen3-FP8). Activation scales in such checkpoints are not used: lpu4j's activations
 * stay FP16.
 *
 * @param method     {@code quant_method} as written, or "none"
 * @param convention where the scales are
 * @param strategy   "tensor", "channel" or "block" (what the config promises; the scale shapes are checked)
 * @param blockSize  block edge for "block", else 0
 */
public record CheckpointQuantization(String method, Fp8ScaleConvention convention, String strategy, int blockSize) {

    public static final CheckpointQuantization NONE = new CheckpointQuantization("none", null, "none", 0);

    public boolean isQuantized() {
        return convention != null;
    }

    static CheckpointQuantization from(JsonConfig config) {
        JsonConfig q = config.object("quantization_config");
        if (q == null) {
            return NONE;
        }
        String method = q.string("quant_method", null);
        if (method == null) {
            throw q.error("quant_method", "is missing");
        }
        return switch (method) {
            case "fp8" -> {
                q.requireTextOrAbsent("fmt", "e4m3");
                int block = squareBlock(q);
                yield new CheckpointQuantization(method, Fp8ScaleConvention.WEIGHT_SCALE_INV, "block", block);
            }
            case "fbgemm_fp8" -> new CheckpointQuantization(method, Fp8ScaleConvention.WEIGHT_SCALE, "channel", 0);
            case "compressed-tensors" -> compressedTensors(q);
            default -> throw q.error("quant_method", "= '" + method
                    + "' is not supported (expected fp8, fbgemm_fp8 or compressed-tensors with FP8 E4M3 weights)");
        };
    }

    private static int squareBlock(JsonConfig q) {
        JsonNode size = q.node().get("weight_block_size");
        if (size == null || !size.isArray() || size.size() != 2 || !size.get(0).canConvertToInt()
                || size.get(0).asInt() < 1 || size.get(0).asInt() != size.get(1).asInt()) {
            throw q.error("weight_block_size", "must be a square block [b, b], got " + size);
        }
        return size.get(0).asInt();
    }

    /** compressed-tensors: every config group must quantize weights to 8-bit floats per tensor or channel. */
    private static CheckpointQuantization compressedTensors(JsonConfig q) {
        JsonConfig groups = q.object("config_groups");
        if (groups == null) {
            throw q.error("config_groups", "is missing");
        }
        List<String> strategies = new ArrayList<>();
        for (var it = groups.node().fields(); it.hasNext(); ) {
            var group = it.next();
            JsonNode weights = group.getValue().path("weights");
            String strategy = weights.path("strategy").asText("");
            boolean fp8 = weights.path("num_bits").asInt() == 8 && weights.path("type").asText("").equals("float");
            if (!fp8 || !(strategy.equals("tensor") || strategy.equals("channel"))) {
                throw q.error("config_groups." + group.getKey() + ".weights", "= " + weights
                        + " is not supported (expected 8-bit float weights, strategy tensor or channel)");
            }
            strategies.add(strategy);
        }
        if (strategies.isEmpty() || strategies.stream().distinct().count() != 1) {
            throw q.error("config_groups", "must hold one strategy for all groups, got " + strategies);
        }
        return new CheckpointQuantization("compressed-tensors", Fp8ScaleConvention.WEIGHT_SCALE, strategies.getFirst(), 0);
    }
}
