package io.lpu4j.app;

import io.lpu4j.engine.bert.BertConfig;
import io.lpu4j.engine.eval.DecoderEval;
import io.lpu4j.engine.eval.EncoderEval;
import io.lpu4j.engine.eval.EncoderInput;
import io.lpu4j.engine.eval.EvalFormat;
import io.lpu4j.engine.eval.GoldenInputs;
import io.lpu4j.engine.model.JsonConfig;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.tokenizer.Encoding;
import io.lpu4j.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code lpu eval}: how much accuracy each weight format costs, against F32. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Accuracy report: how far each weight format moves a model's outputs from F32.",
                "",
                "Method: weight-only quantization. Every linear layer's weight (q, k, v, o, gate, up, down; for "
                        + "BERT query, key, value, attention output, intermediate, output) is quantized to the "
                        + "format and dequantized, and the FP32 reference runs with it (F32 activations); "
                        + "embeddings and lm_head stay F32 unless --quantize-embeddings. So the report measures the "
                        + "format, not the fast path. --executor adds rows from the static executor itself "
                        + "(FP16 activations, BF16 embeddings): what the engine really delivers.",
                "",
                "Decoders (--text): over every next-token prediction of the text, KL(P_f32 || P_format) mean and "
                        + "p99 (nats/token), top-1 agreement with F32 and perplexity. Encoders (--sentences or "
                        + "--golden-inputs): cosine of the sentence embeddings with F32's and max |hidden-state "
                        + "difference|. Both: SQNR of every quantized weight matrix.",
                "",
                "Examples:",
                "  lpu eval --model ../shared/models/stories260K \\",
                "      --text ../shared/text/stories_eval.txt --executor",
                "  lpu eval --model ../shared/models/all-MiniLM-L6-v2 --plot minilm.png \\",
                "      --golden-inputs ../shared/golden/all-MiniLM-L6-v2/inputs_tokenized.json",
                ""})
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Hugging Face model directory: a decoder (llama, mistral, qwen2) or a BERT encoder.")
    Path model;

    @Option(names = "--text", paramLabel = "FILE", description = "Decoders: the UTF-8 text to score (required).")
    Path text;

    @Option(names = "--sentences", paramLabel = "FILE",
            description = "Encoders: sentences to embed, one per line (blank lines skipped).")
    Path sentences;

    @Option(names = "--golden-inputs", paramLabel = "FILE",
            description = "Encoders: tokenized sentences (inputs_tokenized.json: text, ids, mask, type_ids); "
                    + "onnxruntime outputs beside it (ort_*last_hidden_state_*.bin) become extra rows.")
    Path goldenInputs;

    @Option(names = "--formats", paramLabel = "LIST", split = ",",
            description = "Formats to compare with F32 (default: all): ${COMPLETION-CANDIDATES}.",
            completionCandidates = FormatNames.class)
    List<String> formats;

    @Option(names = "--format", paramLabel = "md|json|csv", description = "Output: md (Markdown, the default), json or csv.")
    Output output = Output.md;

    @Option(names = "--plot", paramLabel = "FILE", description = "Also draw the report as a chart: a .png or .svg file.")
    Path plot;

    @Option(names = "--executor", description = "Decoders: add rows that run the static executor for each format.")
    boolean executor;

    @Option(names = "--block-size", paramLabel = "N", description = "Edge of the fp8-block scale tiles (default: ${DEFAULT-VALUE}).")
    int blockSize = PlanSettings.DEFAULT_BLOCK_SIZE;

    @Option(names = "--quantize-embeddings", description = "Decoders: quantize the embedding and lm_head too.")
    boolean quantizeEmbeddings;

    @Option(names = "--context", paramLabel = "N",
            description = "Decoders: most tokens per window (default: the model's maximum, at most "
                    + ModelOptions.DEFAULT_CONTEXT_CAP + "); a longer text is scored in consecutive windows.")
    Integer context;

    @Option(names = "--threads", paramLabel = "N", description = "Executor worker threads (default: the available cores).")
    Integer threads;

    enum Output { md, json, csv }

    /** The --formats names, for the help text. */
    static final class FormatNames extends ArrayList<String> {
        FormatNames() {
            super(Arrays.stream(EvalFormat.values()).map(EvalFormat::flag).toList());
        }
    }

    @Override
    public Integer call() {
        if (!Files.isDirectory(model)) {
            throw new UserError("--model: " + model + " is not a directory");
        }
        if (blockSize < 64 || blockSize % 64 != 0) {
            throw new UserError("--block-size must be a positive multiple of 64, got " + blockSize);
        }
        if (plot != null && !EvalChart.supports(plot)) {
            throw new UserError("--plot: " + plot + " must end in .png or .svg");
        }
        List<EvalFormat> chosen = chosenFormats();
        boolean encoder = JsonConfig.read(model.resolve("config.json")).string("model_type", "").equals("bert");
        EvalView view = encoder ? encoder(chosen) : decoder(chosen);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(switch (output) {
            case md -> EvalTable.markdown(view);
            case json -> EvalJson.json(view) + "\n";
            case csv -> EvalTable.csv(view);
        });
        if (plot != null) {
            EvalChart.write(view, plot);
            System.err.println("lpu eval: chart written to " + plot);
        }
        return 0;
    }

    private EvalView decoder(List<EvalFormat> chosen) {
        if (sentences != null || goldenInputs != null) {
            throw new UserError("--sentences and --golden-inputs are for encoders; " + model + " is a decoder: give --text");
        }
        if (text == null) {
            throw new UserError("a decoder is scored on a text: give --text FILE "
                    + "(e.g. --text ../shared/text/stories_eval.txt)");
        }
        ModelConfig config = ModelConfig.load(model);
        int window = context == null ? Math.min(config.maxPositions(), ModelOptions.DEFAULT_CONTEXT_CAP) : context;
        if (window < 1 || window > config.maxPositions()) {
            throw new UserError("--context must be in [1, " + config.maxPositions() + "] for this model, got " + window);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1 || workers > 256) {
            throw new UserError("--threads must be in [1, 256], got " + workers);
        }
        int[] tokens = Tokenizer.fromModelDir(model).encode(read(text, "--text"));
        if (tokens.length < 2) {
            throw new UserError("--text: " + text + " has " + tokens.length + " token(s); at least 2 are needed");
        }
        DecoderEval.Settings settings = new DecoderEval.Settings(window, blockSize, quantizeEmbeddings, executor, workers);
        return EvalView.of(DecoderEval.run(model, tokens, chosen, settings, progress()), text.toString());
    }

    private EvalView encoder(List<EvalFormat> chosen) {
        if (text != null) {
            throw new UserError("--text is for decoders; " + model + " is an encoder: give --sentences or --golden-inputs");
        }
        if (executor || quantizeEmbeddings || context != null || threads != null) {
            throw new UserError("--executor, --quantize-embeddings, --context and --threads are for decoders; "
                    + model + " is an encoder (its report always runs the reference)");
        }
        if ((sentences == null) == (goldenInputs == null)) {
            throw new UserError("an encoder is scored on sentences: give either --sentences FILE (one per line) or "
                    + "--golden-inputs FILE (e.g. ../shared/golden/all-MiniLM-L6-v2/inputs_tokenized.json)");
        }
        if (goldenInputs != null) {
            List<EncoderInput> inputs = GoldenInputs.read(goldenInputs);
            int hidden = BertConfig.read(model).hiddenSize();
            return EvalView.of(EncoderEval.run(model, inputs, chosen, blockSize,
                    GoldenInputs.onnxruntimeOutputs(goldenInputs, inputs, hidden), progress()), goldenInputs.toString());
        }
        Tokenizer tokenizer = Tokenizer.fromModelDir(model);
        List<EncoderInput> inputs = read(sentences, "--sentences").lines().filter(line -> !line.isBlank()).map(line -> {
            Encoding e = tokenizer.encodeWithOffsets(line, true);
            return new EncoderInput(line, e.ids(), e.attentionMask(), e.typeIds());
        }).toList();
        if (inputs.isEmpty()) {
            throw new UserError("--sentences: " + sentences + " has no sentences");
        }
        return EvalView.of(EncoderEval.run(model, inputs, chosen, blockSize, List.of(), progress()), sentences.toString());
    }

    private List<EvalFormat> chosenFormats() {
        if (formats == null) {
            return List.of(EvalFormat.values());
        }
        List<EvalFormat> chosen = new ArrayList<>();
        for (String name : formats) {
            EvalFormat format = EvalFormat.parse(name).orElseThrow(() -> new UserError(
                    "--formats: unknown format '" + name + "' (expected some of " + EvalFormat.choices() + ")"));
            if (!chosen.contains(format)) {
                chosen.add(format);
            }
        }
        return chosen;
    }

    /** Progress on stderr, each line with the seconds since the report started. */
    private static Consumer<String> progress() {
        long start = System.nanoTime();
        return line -> System.err.printf("lpu eval: [%5.1f s] %s%n", (System.nanoTime() - start) / 1e9, line);
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(flag + ": no such file: " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(flag + ": cannot read " + file, e);
        }
    }
}
