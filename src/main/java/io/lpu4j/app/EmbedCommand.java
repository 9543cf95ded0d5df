package io.lpu4j.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.engine.bert.BertModel;
import io.lpu4j.engine.eval.FormatTransforms;
import io.lpu4j.engine.model.JsonConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.tokenizer.Encoding;
import io.lpu4j.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lpu embed}: sentence embeddings from a BERT encoder, one JSON array per input line. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Sentence embeddings: each non-blank line of stdin (with --jsonl, each JSON string) becomes "
                + "one line of output, a JSON array (the model's pooling, e.g. mean over real tokens then L2 "
                + "normalization, as sentence-transformers computes it).",
                "Runs the FP32 reference encoder; the tokenizer truncates and pads as its tokenizer.json says.",
                "Example:",
                "  echo 'Hello world' | lpu embed --model ../shared/models/all-MiniLM-L6-v2"})
final class EmbedCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "A BERT sentence-embedding model directory (config.json, model.safetensors, tokenizer.json, modules.json).")
    Path model;

    @Option(names = "--jsonl", description = "Each input line is a JSON string (for texts with newlines).")
    boolean jsonl;

    @Option(names = "--weights", paramLabel = "FORMAT",
            description = "Round the linear layers' weights to this format first (quantized then dequantized; "
                    + "activations stay F32): " + "f32 (the default), bf16, fp8, fp8-tensor, fp8-channel, fp8-block, int8.")
    String weights = "f32";

    @Override
    public Integer call() {
        if (!Files.isDirectory(model)) {
            throw new UserError("--model: " + model + " is not a directory");
        }
        String type = JsonConfig.read(model.resolve("config.json")).string("model_type", "(none)");
        if (!type.equals("bert")) {
            throw new UserError("lpu embed runs BERT encoders (model_type bert); " + model + " has model_type " + type);
        }
        WeightFormat format = WeightsFlag.parse(weights);
        if (format != WeightFormat.F32) {
            System.err.println("lpu embed: linear-layer weights rounded to " + format.flag()
                    + " (quantized then dequantized); embeddings, biases, LayerNorms and activations stay F32");
        }
        Tokenizer tokenizer = Tokenizer.fromModelDir(model);
        BertModel encoder = BertModel.load(model, FormatTransforms.of(format, PlanSettings.DEFAULT_BLOCK_SIZE));
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            InputLines.forEachNonBlank(in, (n, line) -> {
                Encoding e = tokenizer.encodeWithOffsets(jsonl ? InputLines.jsonString(n, line) : line, true);
                out.println(json(encoder.embed(e.ids(), e.attentionMask(), e.typeIds())));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.flush();
        }
        return 0;
    }

    private static String json(float[] embedding) {
        try {
            return JSON.writeValueAsString(embedding);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
