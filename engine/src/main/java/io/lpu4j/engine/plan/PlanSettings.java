package io.lpu4j.engine.plan;

/**
 * The choices a plan is made for.
 *
 * @param format             weight format of the linear layers
 * @param shardBudgetBytes   most weight bytes per shard (an LPU chip's 230 MB of SRAM by default)
 * @param threads            workers in the team that executes the plan
 * @param contextLength      positions of KV cache
 * @param maxBatch           most tokens per forward pass (prefill chunk); sizes the activation arena
 * @param quantizeEmbeddings store embedding and lm_head in the linear format too (default: BF16)
 * @param blockSize          edge of the square scale blocks of {@link WeightFormat#FP8_BLOCK}
 */
public record PlanSettings(WeightFormat format, long shardBudgetBytes, int threads, int contextLength,
                           int maxBatch, boolean quantizeEmbeddings, int blockSize) {

    public static final long DEFAULT_SHARD_BYTES = 230_000_000L;
    public static final int DEFAULT_MAX_BATCH = 128;
    public static final int DEFAULT_BLOCK_SIZE = 128;

    public PlanSettings {
        if (shardBudgetBytes < 4096) {
            throw new IllegalArgumentException("shard budget must be at least 4096 bytes, got " + shardBudgetBytes);
        }
        if (threads < 1 || contextLength < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("threads, context length and batch must be positive");
        }
        if (blockSize < 64 || blockSize % 64 != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of 64, got " + blockSize);
        }
    }

    public static PlanSettings defaults(WeightFormat format, int threads, int contextLength) {
        return new PlanSettings(format, DEFAULT_SHARD_BYTES, threads, contextLength, DEFAULT_MAX_BATCH, false,
                DEFAULT_BLOCK_SIZE);
    }

    public PlanSettings withShardBudget(long bytes) {
        return new PlanSettings(format, bytes, threads, contextLength, maxBatch, quantizeEmbeddings, blockSize);
    }
}
