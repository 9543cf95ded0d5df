package io.lpu4j.engine.plan;

import io.lpu4j.engine.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The test's own statement of what a Llama-family checkpoint holds, in the order a forward pass reads
 * it, and of how many bytes each tensor takes in each storage type: the oracle the planner is checked
 * against (written from the architecture, not from the planner).
 */
final class ExpectedTensors {
    static final int ALIGN = 64;

    /** One tensor: 1-D tensors (norms, biases) count as one row. */
    record Tensor(String name, StorageType storage, int rows, int cols) {
    }

    private ExpectedTensors() {
    }

    static List<Tensor> of(ModelConfig c, PlanSettings s) {
        StorageType linear = switch (s.format()) {
            case F32 -> StorageType.F32;
            case BF16 -> StorageType.BF16;
            case FP8_TENSOR -> StorageType.FP8_TENSOR;
            case FP8_CHANNEL -> StorageType.FP8_CHANNEL;
            case FP8_BLOCK -> StorageType.FP8_BLOCK;
            case INT8 -> StorageType.INT8_CHANNEL;
        };
        StorageType vocab = s.format() == WeightFormat.F32 ? StorageType.F32
                : s.quantizeEmbeddings() ? linear : StorageType.BF16;
        int d = c.hiddenSize();
        int q = c.numHeads() * c.headDim();
        int kv = c.numKvHeads() * c.headDim();
        List<Tensor> list = new ArrayList<>();
        list.add(new Tensor("model.embed_tokens.weight", vocab, c.vocabSize(), d));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            list.add(new Tensor(p + "input_layernorm.weight", StorageType.F32, 1, d));
            for (String[] proj : new String[][] {{"q", "" + q}, {"k", "" + kv}, {"v", "" + kv}}) {
                int width = Integer.parseInt(proj[1]);
                list.add(new Tensor(p + "self_attn." + proj[0] + "_proj.weight", linear, width, d));
                if (c.qkvBias()) {
                    list.add(new Tensor(p + "self_attn." + proj[0] + "_proj.bias", StorageType.F32, 1, width));
                }
            }
            list.add(new Tensor(p + "self_attn.o_proj.weight", linear, d, q));
            if (c.outputBias()) {
                list.add(new Tensor(p + "self_attn.o_proj.bias", StorageType.F32, 1, d));
            }
            list.add(new Tensor(p + "post_attention_layernorm.weight", StorageType.F32, 1, d));
            list.add(new Tensor(p + "mlp.gate_proj.weight", linear, c.intermediateSize(), d));
            list.add(new Tensor(p + "mlp.up_proj.weight", linear, c.intermediateSize(), d));
            list.add(new Tensor(p + "mlp.down_proj.weight", linear, d, c.intermediateSize()));
        }
        list.add(new Tensor("model.norm.weight", StorageType.F32, 1, d));
        if (!c.tiedEmbeddings()) {
            list.add(new Tensor("lm_head.weight", vocab, c.vocabSize(), d));
        }
        return list;
    }

    static int elementBytes(StorageType storage) {
        return switch (storage) {
            case F32 -> 4;
            case BF16 -> 2;
            case FP8_TENSOR, FP8_CHANNEL, FP8_BLOCK, INT8_CHANNEL -> 1;
        };
    }

    /** Bytes of the F32 scales of {@code rows} rows: one per tensor, per row, or per square block. */
    static long scaleBytes(StorageType storage, int rows, int cols, int blockSize) {
        long count = switch (storage) {
            case F32, BF16 -> 0;
            case FP8_TENSOR -> 1;
            case FP8_CHANNEL, INT8_CHANNEL -> rows;
            case FP8_BLOCK -> (long) ((rows + blockSize - 1) / blockSize) * ((cols + blockSize - 1) / blockSize);
        };
        return count * 4;
    }

    /** Bytes of the values themselves, with no padding. */
    static long valueBytes(StorageType storage, int rows, int cols) {
        return (long) rows * cols * elementBytes(storage);
    }

    /** Bytes of {@code rows} rows when each row is padded to a multiple of 64 bytes. */
    static long paddedRowBytes(StorageType storage, int rows, int cols) {
        return rows * roundUp((long) cols * elementBytes(storage));
    }

    /** Bytes a piece of {@code rows} rows takes in a shard: padded rows, then scales, each 64-byte aligned. */
    static long footprint(StorageType storage, int rows, int cols, int blockSize) {
        return roundUp(paddedRowBytes(storage, rows, cols)) + roundUp(scaleBytes(storage, rows, cols, blockSize));
    }

    static long roundUp(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    /** Values plus scales of every tensor, unsplit: what the weights weigh before any padding. */
    static long payloadBytes(List<Tensor> tensors, int blockSize) {
        return tensors.stream().mapToLong(t -> valueBytes(t.storage(), t.rows(), t.cols())
                + scaleBytes(t.storage(), t.rows(), t.cols(), blockSize)).sum();
    }
}
