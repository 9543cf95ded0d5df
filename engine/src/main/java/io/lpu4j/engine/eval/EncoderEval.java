package io.lpu4j.engine.eval;

import io.lpu4j.engine.bert.BertModel;
import io.lpu4j.engine.bert.Pooling;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * The accuracy report for a BERT encoder: each weight format's last hidden states and sentence
 * embeddings, against lpu4j's F32 encoder (see {@link #METHOD}).
 */
public final class EncoderEval {
    public static final String METHOD = "Weight-only quantization: the weight of every linear layer (query, key, "
            + "value, attention output, intermediate, output) is quantized to the format and dequantized, then "
            + "the FP32 reference encoder runs with it (F32 activations); embeddings, biases and LayerNorms stay "
            + "F32. Each row compares its sentence embeddings (the model's pooling) and last hidden states with "
            + "F32's. onnxruntime rows score onnxruntime's own outputs for the same inputs the same way.";

    private final Path modelDir;
    private final List<EncoderInput> inputs;
    private final Pooling pooling;
    private final float[][][] reference;
    private final float[][] referenceEmbeddings;

    private EncoderEval(Path modelDir, List<EncoderInput> inputs, Pooling pooling, float[][][] reference) {
        this.modelDir = modelDir;
        this.inputs = inputs;
        this.pooling = pooling;
        this.reference = reference;
        this.referenceEmbeddings = embeddings(reference);
    }

    /**
     * Scores {@code formats} (F32, the baseline, always comes first), then {@code external} outputs,
     * on {@code inputs}.
     *
     * @param progress receives a line as each row starts
     */
    public static EncoderReport run(Path modelDir, List<EncoderInput> inputs, List<EvalFormat> formats, int blockSize,
                                    List<ExternalOutput> external, Consumer<String> progress) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no sentences to evaluate");
        }
        progress.accept("f32 reference (baseline): " + inputs.size() + " sentences");
        BertModel f32 = BertModel.load(modelDir);
        EncoderEval eval = new EncoderEval(modelDir, inputs, f32.pooling(), hiddenStates(f32, inputs));
        List<EncoderRow> rows = new ArrayList<>();
        rows.add(eval.score(EvalFormat.F32.flag(), Runner.REFERENCE, eval.reference, null));
        for (EvalFormat format : formats) {
            if (format != EvalFormat.F32) {
                progress.accept(format.flag() + " (reference)");
                rows.add(eval.score(format, blockSize));
            }
        }
        for (ExternalOutput output : external) {
            eval.checkShape(output);
            rows.add(eval.score(output.format(), output.runner(), output.hiddenStates(), null));
        }
        return new EncoderReport(modelDir.getFileName().toString(), METHOD,
                inputs.stream().map(EncoderInput::text).toList(), rows);
    }

    private EncoderRow score(EvalFormat format, int blockSize) {
        SqnrRecorder recorder = new SqnrRecorder(format.transform(blockSize));
        BertModel model = BertModel.load(modelDir, recorder);
        return score(format.flag(), Runner.REFERENCE, hiddenStates(model, inputs), recorder.summary());
    }

    private EncoderRow score(String format, Runner runner, float[][][] hidden, SqnrSummary sqnr) {
        float[][] embeddings = embeddings(hidden);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double maxAbsDiff = 0;
        for (int s = 0; s < inputs.size(); s++) {
            double cosine = cosine(referenceEmbeddings[s], embeddings[s]);
            sum += cosine;
            min = Math.min(min, cosine);
            int[] mask = inputs.get(s).mask();
            for (int t = 0; t < mask.length; t++) {
                if (mask[t] == 1) {
                    for (int i = 0; i < hidden[s][t].length; i++) {
                        maxAbsDiff = Math.max(maxAbsDiff, Math.abs(hidden[s][t][i] - reference[s][t][i]));
                    }
                }
            }
        }
        return new EncoderRow(format, runner, sum / inputs.size(), min, maxAbsDiff, sqnr);
    }

    /** The sentences run concurrently: the model is immutable and each sentence independent. */
    private static float[][][] hiddenStates(BertModel model, List<EncoderInput> inputs) {
        return IntStream.range(0, inputs.size()).parallel()
                .mapToObj(i -> model.lastHiddenState(inputs.get(i).ids(), inputs.get(i).mask(), inputs.get(i).typeIds()))
                .toArray(float[][][]::new);
    }

    private float[][] embeddings(float[][][] hidden) {
        float[][] out = new float[hidden.length][];
        for (int s = 0; s < hidden.length; s++) {
            out[s] = pooling.apply(hidden[s], inputs.get(s).mask());
        }
        return out;
    }

    private void checkShape(ExternalOutput output) {
        float[][][] h = output.hiddenStates();
        boolean ok = h.length == inputs.size();
        for (int s = 0; ok && s < h.length; s++) {
            ok = h[s].length == reference[s].length && h[s][0].length == reference[s][0].length;
        }
        if (!ok) {
            throw new IllegalArgumentException(output.runner() + " " + output.format()
                    + ": hidden states do not have the shape of the inputs' ["
                    + inputs.size() + ", " + reference[0].length + ", " + reference[0][0].length + "]");
        }
    }

    /** a·b / (|a| |b|), in double. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }
}
