package io.lpu4j.app;

import io.lpu4j.engine.model.JsonConfig;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lpu plan}: where every weight of a model goes, from its config.json alone. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        description = {
                "Shows the static plan for a model: its weights packed into shards of at most the budget "
                        + "(one LPU chip's SRAM, 230 MB by default) in execution order, the steps of a "
                        + "forward pass with each worker's share, the activation arena and the KV cache.",
                "Needs only config.json, so it plans models far too big for this machine.",
                ""},
        footerHeading = "%n--format json writes one object; its fields, in snake_case:%n",
        // Broken by hand: picocli does not indent the wrapped lines of a footer.
        footer = {
                "  model, shard_count, weight_bytes, tensor_bytes (values + scales),",
                "    padding_bytes, arena_bytes, kv_cache_bytes, step_count",
                "  settings: weights, linear_storage, embedding_storage, activations,",
                "    shard_budget_bytes, threads, context_length, max_batch,",
                "    quantize_embeddings, block_size",
                "  config: model_type, hidden_size, intermediate_size, num_hidden_layers,",
                "    num_attention_heads, num_key_value_heads, head_dim, vocab_size,",
                "    max_position_embeddings, tie_word_embeddings, qkv_bias, output_bias",
                "  shards[]: index, bytes, placements[]",
                "  placements[]: tensor, storage, rows, cols, row_from, row_to (exclusive),",
                "    layer (-1: embedding, final norm, lm_head), offset, data_bytes,",
                "    scales_offset, scales_bytes",
                "  steps[]: index, kind, ops, layer, tensors, split (ROWS, HEADS or TOKENS),",
                "    bounds (worker w does units [bounds[w], bounds[w+1]))",
                "  buffers[]: name, type, width, offset, bytes",
                "See docs/plan.md."},
        sortOptions = false)
final class PlanCommand implements Callable<Integer> {
    private static final int DEFAULT_CONTEXT_CAP = 4096;

    @Spec
    CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    Source source;

    /** The model to plan: a model directory, or a config.json on its own. */
    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "Model directory (only its config.json is read).")
        Path modelDir;

        @Option(names = "--config", paramLabel = "FILE", description = "A config.json file, no model directory needed.")
        Path configFile;
    }

    @Option(names = "--weights", paramLabel = "FORMAT", defaultValue = "fp8",
            description = "Weight format of the linear layers: f32, bf16, fp8 (= fp8-channel), fp8-tensor, "
                    + "fp8-channel, fp8-block, int8 (default: ${DEFAULT-VALUE}).")
    String weights;

    @Option(names = "--shard-mb", paramLabel = "N", defaultValue = "230",
            description = "Shard budget in MB of 1,000,000 bytes; decimals allowed (default: ${DEFAULT-VALUE}).")
    String shardMb;

    @Option(names = "--threads", paramLabel = "N",
            description = "Workers that run the plan (default: the available processors).")
    Integer threads;

    @Option(names = "--context", paramLabel = "N",
            description = "Positions of KV cache (default: the model's maximum, at most " + DEFAULT_CONTEXT_CAP + ").")
    Integer context;

    @Option(names = "--quantize-embeddings",
            description = "Store the embedding and lm_head in the weight format too (default: BF16).")
    boolean quantizeEmbeddings;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "" + PlanSettings.DEFAULT_BLOCK_SIZE,
            description = "Edge of the square scale blocks of fp8-block, a multiple of 64 (default: ${DEFAULT-VALUE}).")
    int blockSize;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (Markdown-friendly text) or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the shards as chips, to FILE.png or FILE.svg.")
    Path plot;

    @Override
    public Integer call() throws IOException {
        String output = format.toLowerCase(Locale.ROOT);
        if (!output.equals("table") && !output.equals("json")) {
            throw new UserError("--format " + format + ": expected table or json");
        }
        checkPlotFile();
        ModelConfig config = source.modelDir != null ? ModelConfig.load(source.modelDir)
                : ModelConfig.parse(JsonConfig.read(source.configFile), null);
        Plan plan = plan(config, settings(config));
        String model = modelName();

        PrintWriter out = spec.commandLine().getOut();
        out.print(output.equals("json") ? PlanJson.render(model, plan) : PlanTable.render(model, plan));
        out.flush();
        if (plot != null) {
            PlanChart.write(model, plan, plot);
            spec.commandLine().getErr().println("lpu: drew " + plan.shards().size() + " shards to " + plot);
        }
        return 0;
    }

    private PlanSettings settings(ModelConfig config) {
        WeightFormat weightFormat = WeightsFlag.parse(weights);
        long budget = shardBytes();
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (workers < 1) {
            throw new UserError("--threads " + threads + ": expected at least 1");
        }
        int positions = context != null ? context : Math.min(config.maxPositions(), DEFAULT_CONTEXT_CAP);
        if (positions < 1 || positions > config.maxPositions()) {
            throw new UserError("--context " + context + ": expected 1 to " + config.maxPositions()
                    + ", the model's longest context");
        }
        if (blockSize < 64 || blockSize % 64 != 0) {
            throw new UserError("--block-size " + blockSize + ": expected a positive multiple of 64");
        }
        return new PlanSettings(weightFormat, budget, workers, positions, PlanSettings.DEFAULT_MAX_BATCH,
                quantizeEmbeddings, blockSize);
    }

    /** --shard-mb in bytes, read as a decimal so that 0.05 MB is exactly 50,000 bytes. */
    private long shardBytes() {
        BigDecimal mb;
        try {
            mb = new BigDecimal(shardMb.trim());
        } catch (NumberFormatException e) {
            throw new UserError("--shard-mb " + shardMb + ": expected a number of MB (1 MB = 1,000,000 bytes)");
        }
        if (mb.signum() <= 0) {
            throw new UserError("--shard-mb " + shardMb + ": the shard budget must be more than 0 MB");
        }
        BigDecimal bytes = mb.movePointRight(6).setScale(0, RoundingMode.FLOOR);
        if (bytes.compareTo(BigDecimal.valueOf(4096)) < 0) {
            throw new UserError("--shard-mb " + shardMb + ": a shard must hold at least 4096 bytes (0.004096 MB)");
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new UserError("--shard-mb " + shardMb + ": too large");
        }
        return bytes.longValueExact();
    }

    /** The planner refuses a budget too small for one row (or one scale block) of some tensor. */
    private Plan plan(ModelConfig config, PlanSettings settings) {
        try {
            return Planner.plan(config, settings);
        } catch (IllegalArgumentException e) {
            throw new UserError("--shard-mb " + shardMb + ": " + e.getMessage());
        }
    }

    private void checkPlotFile() {
        if (plot == null) {
            return;
        }
        String name = plot.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg")) {
            throw new UserError("--plot " + plot + ": the file name must end in .png or .svg");
        }
        Path dir = plot.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserError("--plot " + plot + ": no such directory " + dir);
        }
    }

    /** The model directory's name, or the config file's directory when it is a plain config.json. */
    private String modelName() {
        Path path = source.modelDir != null ? source.modelDir : source.configFile;
        Path absolute = path.toAbsolutePath().normalize();
        String file = absolute.getFileName().toString();
        if (source.configFile != null && file.equals("config.json") && absolute.getParent() != null
                && absolute.getParent().getFileName() != null) {
            return absolute.getParent().getFileName().toString();
        }
        return source.configFile != null ? file.replaceFirst("\\.json$", "") : file;
    }
}
