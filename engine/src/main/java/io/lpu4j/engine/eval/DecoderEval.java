package io.lpu4j.engine.eval;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.exec.Executor;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.engine.reference.ReferenceNumerics;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The accuracy report for a decoder: each weight format's next-token distributions on a text,
 * against the F32 reference's (see {@link #method}).
 */
public final class DecoderEval {

    /**
     * @param context            most tokens per window (at most the model's positions)
     * @param blockSize          tile edge of fp8-block
     * @param quantizeEmbeddings put the embedding and lm_head in the format too
     * @param executor           also run the static executor for each format it has
     * @param threads            the executor's worker threads
     */
    public record Settings(int context, int blockSize, boolean quantizeEmbeddings, boolean executor, int threads) {
    }

    private final Checkpoint checkpoint;
    private final ModelConfig config;
    private final TokenWindows windows;
    private final Settings settings;
    private final Consumer<String> progress;
    private final float[][] reference;

    private DecoderEval(Checkpoint checkpoint, ModelConfig config, TokenWindows windows, Settings settings,
                        Consumer<String> progress) {
        this.checkpoint = checkpoint;
        this.config = config;
        this.windows = windows;
        this.settings = settings;
        this.progress = progress;
        this.reference = new float[windows.predictions()][];
    }

    /**
     * Scores {@code formats} (F32, the baseline, always comes first) on {@code tokens}.
     *
     * @param progress receives a line as each row starts
     */
    public static DecoderReport run(Path modelDir, int[] tokens, List<EvalFormat> formats, Settings settings,
                                    Consumer<String> progress) {
        ModelConfig config = ModelConfig.load(modelDir);
        if (settings.context() > config.maxPositions()) {
            throw new IllegalArgumentException("context " + settings.context() + " exceeds the model's "
                    + config.maxPositions() + " positions");
        }
        TokenWindows windows = new TokenWindows(tokens, settings.context());
        try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
            DecoderEval eval = new DecoderEval(checkpoint, config, windows, settings, progress);
            List<DecoderRow> rows = eval.rows(formats);
            return new DecoderReport(modelDir.getFileName().toString(), method(settings), tokens.length,
                    windows.predictions(), windows.count(), settings.context(), rows);
        }
    }

    /** What the rows measure, for the report's header. */
    public static String method(Settings settings) {
        String method = "Weight-only quantization: the weight of every linear layer (q, k, v, o, gate, up, down) "
                + "is quantized to the format and dequantized, then the FP32 reference runs with it "
                + "(F32 activations, double accumulation); embeddings and lm_head "
                + (settings.quantizeEmbeddings() ? "are quantized the same way" : "stay F32")
                + ". Each row compares its next-token distribution with F32's at every position of the text.";
        if (settings.executor()) {
            method += " Executor rows run lpu4j's static executor instead: FP16 activations and KV cache, "
                    + (settings.quantizeEmbeddings() ? "embeddings and lm_head in the format" : "BF16 embeddings and lm_head")
                    + " (all F32 for f32).";
        }
        return method;
    }

    private List<DecoderRow> rows(List<EvalFormat> formats) {
        progress.accept("f32 reference (baseline): " + windows.predictions() + " predictions in " + windows.count()
                + " window(s)");
        try (CausalLM f32 = referenceModel(MatrixTransform.IDENTITY)) {
            windows.run(f32, (index, logits) -> reference[index] = logits.clone());
        }
        List<DecoderRow> rows = new ArrayList<>();
        // The baseline scored against itself: every metric at its ideal, by the same code as the others.
        rows.add(score(EvalFormat.F32.flag(), Runner.REFERENCE, null, each -> {
            for (int i = 0; i < reference.length; i++) {
                each.onPrediction(i, reference[i]);
            }
        }));
        for (EvalFormat format : formats) {
            if (format != EvalFormat.F32) {
                progress.accept(format.flag() + " (reference)");
                SqnrRecorder recorder = new SqnrRecorder(format.transform(settings.blockSize()));
                try (CausalLM model = referenceModel(recorder)) {
                    rows.add(score(format.flag(), Runner.REFERENCE, recorder.summary(), each -> windows.run(model, each)));
                }
            }
        }
        if (settings.executor()) {
            for (EvalFormat format : formats) {
                if (format.weightFormat().isPresent()) {
                    progress.accept(format.flag() + " (executor, " + settings.threads()
                            + (settings.threads() == 1 ? " thread)" : " threads)"));
                    try (CausalLM model = executor(format.weightFormat().get())) {
                        rows.add(score(format.flag(), Runner.EXECUTOR, null, each -> windows.run(model, each)));
                    }
                }
            }
        }
        return rows;
    }

    private CausalLM referenceModel(MatrixTransform weights) {
        ReferenceNumerics numerics = new ReferenceNumerics(weights,
                settings.quantizeEmbeddings() ? weights : MatrixTransform.IDENTITY, false);
        return ReferenceTransformer.load(checkpoint, config, settings.context(), numerics);
    }

    private CausalLM executor(WeightFormat format) {
        PlanSettings plan = new PlanSettings(format, PlanSettings.DEFAULT_SHARD_BYTES, settings.threads(),
                settings.context(), PlanSettings.DEFAULT_MAX_BATCH, settings.quantizeEmbeddings(), settings.blockSize());
        return Executor.load(Planner.plan(config, plan), checkpoint);
    }

    /** Scores the predictions that {@code predictions} hands to the listener it is given. */
    private DecoderRow score(String format, Runner runner, SqnrSummary sqnr,
                             Consumer<TokenWindows.PredictionListener> predictions) {
        PredictionStats stats = new PredictionStats(windows.predictions());
        predictions.accept((index, logits) -> stats.add(Distributions.logSoftmax(reference[index]),
                Distributions.logSoftmax(logits), windows.tokens()[index + 1]));
        return stats.row(format, runner, sqnr);
    }
}
