package io.lpu4j.app;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.exec.Executor;
import io.lpu4j.engine.exec.ShardCache;
import io.lpu4j.engine.model.CheckpointQuantization;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The flags that choose a model and how to run it, shared by the commands that run one. */
final class ModelOptions {
    static final int DEFAULT_CONTEXT_CAP = 4096;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory (config.json, model.safetensors or its index, tokenizer.json).")
    Path model;

    @Option(names = "--weights", paramLabel = "FORMAT",
            description = "Weight format of the linear layers: f32, bf16, fp8 (= fp8-channel), fp8-tensor, fp8-channel, fp8-block, int8 (default: fp8).")
    String weights;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the available cores).")
    Integer threads;

    @Option(names = "--context", paramLabel = "N",
            description = "Positions of KV cache to allocate (default: the model's maximum, at most " + DEFAULT_CONTEXT_CAP + ").")
    Integer context;

    @Option(names = "--shard-mb", paramLabel = "MB",
            description = "Most weight bytes per shard, in MB of 10^6 bytes (default: 230, one LPU chip's SRAM).")
    Double shardMb;

    @Option(names = "--quantize-embeddings",
            description = "Store the embedding and lm_head in the --weights format too (default: BF16 unless --weights f32).")
    boolean quantizeEmbeddings;

    @Option(names = "--block-size", paramLabel = "N", description = "Edge of the fp8-block scale blocks (default: 128).")
    int blockSize = PlanSettings.DEFAULT_BLOCK_SIZE;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Where filled shards are kept, so the next start maps them instead of quantizing again "
                    + "(default: $LPU4J_CACHE, else $XDG_CACHE_HOME/lpu4j/shards or ~/.cache/lpu4j/shards).")
    Path cache;

    @Option(names = "--no-cache", description = "Neither read nor write the shard cache.")
    boolean noCache;

    @Option(names = "--reference",
            description = "Run the plain FP32 reference forward pass instead of the static executor (slow; for checking numerics).")
    boolean reference;

    private ModelConfig config;

    Path modelDir() {
        if (!Files.isDirectory(model)) {
            throw new UserError("--model: " + model + " is not a directory");
        }
        return model;
    }

    /** config.json, read once: the format, context and plan all consult it. */
    ModelConfig config() {
        if (config == null) {
            config = ModelConfig.load(modelDir());
        }
        return config;
    }

    WeightFormat format() {
        if (weights == null) {
            return nativeFormat().orElse(WeightFormat.FP8_DEFAULT);
        }
        return WeightsFlag.parse(weights);
    }

    /** A checkpoint already in FP8 runs as it is, unless --weights says otherwise. */
    private java.util.Optional<WeightFormat> nativeFormat() {
        CheckpointQuantization q = config().quantization();
        return switch (q.strategy()) {
            case "tensor" -> java.util.Optional.of(WeightFormat.FP8_TENSOR);
            case "channel" -> java.util.Optional.of(WeightFormat.FP8_CHANNEL);
            case "block" -> java.util.Optional.of(WeightFormat.FP8_BLOCK);
            default -> java.util.Optional.empty();
        };
    }

    int contextLength(ModelConfig config) {
        if (context == null) {
            return Math.min(config.maxPositions(), DEFAULT_CONTEXT_CAP);
        }
        if (context < 1 || context > config.maxPositions()) {
            throw new UserError("--context must be in [1, " + config.maxPositions() + "] for this model, got " + context);
        }
        return context;
    }

    int threadCount() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || n > 256) {
            throw new UserError("--threads must be in [1, 256], got " + n);
        }
        return n;
    }

    PlanSettings settings(ModelConfig config) {
        long budget = PlanSettings.DEFAULT_SHARD_BYTES;
        if (shardMb != null) {
            if (!(shardMb > 0) || shardMb > 1e6) {
                throw new UserError("--shard-mb must be a positive number of megabytes, got " + shardMb);
            }
            budget = Math.round(shardMb * 1e6);
        }
        if (blockSize < 64 || blockSize % 64 != 0) {
            throw new UserError("--block-size must be a positive multiple of 64, got " + blockSize);
        }
        int block = weights == null && config.quantization().blockSize() > 0 ? config.quantization().blockSize() : blockSize;
        return new PlanSettings(format(), budget, threadCount(), contextLength(config), PlanSettings.DEFAULT_MAX_BATCH,
                quantizeEmbeddings, block);
    }

    /** What runs the model, for summaries: "fp8-channel, 2 threads" or "reference F32". */
    String describe() {
        return reference ? "reference F32" : format().flag() + ", " + threadCount() + " thread" + (threadCount() == 1 ? "" : "s");
    }

    /** Loads the model as the flags say. */
    CausalLM open() {
        ModelConfig config = config();
        if (reference && weights != null) {
            throw new UserError("--reference runs the exact F32 weights; it cannot be combined with --weights");
        }
        PlanSettings settings = reference ? null : settings(config);
        try (Checkpoint checkpoint = Checkpoint.open(modelDir())) {
            if (reference) {
                return ReferenceTransformer.load(checkpoint, config, contextLength(config), MatrixTransform.IDENTITY);
            }
            long start = System.nanoTime();
            ShardCache shardCache = noCache ? null : new ShardCache(cache != null ? cache : ShardCache.defaultRoot());
            Executor executor = Executor.load(Planner.plan(config, settings), checkpoint, shardCache);
            System.err.printf("lpu: %d shard%s, %.1f MB of %s weights, %s in %.1f s%n", executor.plan().shards().size(),
                    executor.plan().shards().size() == 1 ? "" : "s", executor.plan().weightBytes() / 1e6,
                    settings.format().flag(), executor.shardsFromCache() ? "read from the shard cache"
                            : shardCache == null ? "filled" : "filled and cached in " + shardCache.root(),
                    (System.nanoTime() - start) / 1e9);
            return executor;
        }
    }
}
