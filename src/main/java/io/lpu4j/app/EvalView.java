package io.lpu4j.app;

import io.lpu4j.engine.eval.DecoderReport;
import io.lpu4j.engine.eval.DecoderRow;
import io.lpu4j.engine.eval.EncoderReport;
import io.lpu4j.engine.eval.EncoderRow;
import io.lpu4j.engine.eval.Runner;
import io.lpu4j.engine.eval.SqnrSummary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as the table, JSON and chart show it: the same columns and rows whether it came from a
 * decoder or an encoder.
 *
 * @param model   the model directory's name
 * @param kind    "decoder" or "encoder"
 * @param method  how the rows were computed
 * @param notes   what was evaluated and how the columns are defined, one paragraph each
 * @param input   what was evaluated, for JSON
 * @param columns the metric columns, in order
 * @param lines   one per row of the report
 * @param charted the columns the chart plots, one panel each
 */
record EvalView(String model, String kind, String method, List<String> notes, Map<String, Object> input,
                List<Column> columns, List<Line> lines, List<Column> charted) {

    /**
     * A metric column.
     *
     * @param heading       for the Markdown table and the chart
     * @param key           for CSV and JSON
     * @param pattern       printf pattern for the table and chart labels
     * @param fromZero      whether the chart's axis starts at 0 (bars), or zooms in (dots)
     */
    record Column(String heading, String key, String pattern, boolean fromZero) {
        String format(Double value) {
            return value == null ? "—" : String.format(Locale.ROOT, pattern, value);
        }
    }

    /**
     * A row: its label, format and runner, a value per column (null where the metric does not
     * apply) and the per-tensor SQNR behind the SQNR columns (null likewise).
     */
    record Line(String label, String format, Runner runner, List<Double> values, SqnrSummary sqnr) {
    }

    private static final Column SQNR_MEAN = new Column("SQNR mean (dB)", "sqnr_mean_db", "%.2f", true);
    private static final Column SQNR_MIN = new Column("SQNR min (dB)", "sqnr_min_db", "%.2f", true);
    private static final Column KL_MEAN = new Column("KL mean (nats/token)", "kl_mean", "%.6f", true);
    private static final Column KL_P99 = new Column("KL p99", "kl_p99", "%.6f", true);
    private static final Column TOP1 = new Column("top-1 agreement", "top1_agreement", "%.4f", false);
    private static final Column PERPLEXITY = new Column("perplexity", "perplexity", "%.4f", false);
    private static final Column COSINE_MEAN = new Column("cosine mean", "cosine_mean", "%.6f", false);
    private static final Column COSINE_MIN = new Column("cosine min", "cosine_min", "%.6f", false);
    private static final Column ONE_MINUS_COSINE = new Column("1 − cosine mean", "one_minus_cosine_mean", "%.2e", true);
    private static final Column MAX_ABS_DIFF = new Column("max abs Δ hidden", "max_abs_diff", "%.2e", true);

    static EvalView of(DecoderReport report, String textFile) {
        List<Line> lines = new ArrayList<>();
        for (DecoderRow r : report.rows()) {
            lines.add(new Line(label(r.format(), r.runner()), r.format(), r.runner(), Arrays.asList(mean(r.sqnr()),
                    min(r.sqnr()), r.klMean(), r.klP99(), r.top1Agreement(), r.perplexity()), r.sqnr()));
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("text", textFile);
        input.put("tokens", report.tokens());
        input.put("predictions", report.predictions());
        input.put("windows", report.windows());
        input.put("window_tokens", report.context());
        String windows = report.windows() == 1 ? "one window" : report.windows() + " consecutive windows of up to "
                + report.context() + " tokens, each starting a fresh context (the text is longer than the context)";
        List<String> notes = List.of(
                "Text: " + textFile + ": " + report.tokens() + " tokens (with BOS if the tokenizer adds it), "
                        + report.predictions() + " next-token predictions, in " + windows + ".",
                "KL = KL(P_f32 ‖ P_format) per predicted token, in nats, computed in double from log-softmax; "
                        + "top-1 agreement = share of predictions whose most likely token is F32's; perplexity = "
                        + "exp(mean negative log-likelihood of the text's next tokens); SQNR over the quantized "
                        + "weight matrices (mean of their dB, and the worst).");
        return new EvalView(report.model(), "decoder", report.method(), notes, input,
                List.of(SQNR_MEAN, SQNR_MIN, KL_MEAN, KL_P99, TOP1, PERPLEXITY), lines, List.of(KL_MEAN, TOP1, SQNR_MEAN));
    }

    static EvalView of(EncoderReport report, String sentencesFile) {
        List<Line> lines = new ArrayList<>();
        for (EncoderRow r : report.rows()) {
            lines.add(new Line(label(r.format(), r.runner()), r.format(), r.runner(), Arrays.asList(mean(r.sqnr()),
                    min(r.sqnr()), r.cosineMean(), r.cosineMin(), 1 - r.cosineMean(), r.maxAbsDiff()), r.sqnr()));
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("sentences_file", sentencesFile);
        input.put("sentences", report.sentences());
        List<String> notes = List.of(
                "Sentences: " + sentencesFile + ": " + report.sentences().size() + " sentences.",
                "cosine = cosine similarity of the sentence embedding (the model's pooling, e.g. mean over real "
                        + "tokens, then L2-normalized) with lpu4j F32's, mean and least over sentences; "
                        + "max abs Δ hidden = largest absolute difference of any last-hidden-state value at a real (mask 1) "
                        + "token; SQNR over the quantized weight matrices (mean of their dB, and the worst).");
        return new EvalView(report.model(), "encoder", report.method(), notes, input,
                List.of(SQNR_MEAN, SQNR_MIN, COSINE_MEAN, COSINE_MIN, ONE_MINUS_COSINE, MAX_ABS_DIFF), lines,
                List.of(ONE_MINUS_COSINE, MAX_ABS_DIFF, SQNR_MEAN));
    }

    /** "MODEL (decoder)" or "MODEL (encoder)". */
    String title() {
        return model + " (" + kind + ")";
    }

    /** The value of {@code column} in {@code line}. */
    Double value(Line line, Column column) {
        return line.values().get(columns.indexOf(column));
    }

    private static String label(String format, Runner runner) {
        return switch (runner) {
            case REFERENCE -> format;
            case EXECUTOR -> format + " (executor, " + (format.equals("f32") ? "f32" : "fp16") + " act.)";
            case ONNXRUNTIME -> "onnxruntime " + format;
        };
    }

    private static Double mean(SqnrSummary sqnr) {
        return sqnr == null ? null : sqnr.meanDb();
    }

    private static Double min(SqnrSummary sqnr) {
        return sqnr == null ? null : sqnr.minDb();
    }
}
