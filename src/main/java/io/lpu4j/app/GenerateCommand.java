package io.lpu4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.generate.GenerationResult;
import io.lpu4j.engine.generate.Generator;
import io.lpu4j.engine.generate.Sampler;
import io.lpu4j.engine.generate.SamplingSettings;
import io.lpu4j.tokenizer.StreamDecoder;
import io.lpu4j.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lpu generate}: text in, text streamed out. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate text from a prompt. The prompt and its continuation stream to stdout; a one-line "
                + "summary (tokens, prefill and decode speed) goes to stderr.",
                "Runs the static executor with FP8 weights unless --weights or --reference say otherwise."})
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--prompt", description = "Prompt text (default: empty, i.e. start from BOS).")
    String prompt = "";

    @Option(names = "--max-tokens", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens = 256;

    @Option(names = "--temperature", description = "0 = greedy, the default; higher = more random.")
    float temperature = 0f;

    @Option(names = "--top-k", description = "Sample only from the k most likely tokens (0 = off, the default).")
    int topK = 0;

    @Option(names = "--top-p", description = "Sample only from the most likely tokens covering probability p (default: 1 = off).")
    float topP = 1f;

    @Option(names = "--seed", description = "Seed for sampling: the same seed gives the same text (default: random, printed in the summary).")
    Long seed;

    @Option(names = "--format", description = "text (streamed, the default) or json (one object at the end).")
    OutputFormat format = OutputFormat.text;

    @Option(names = "--dump-logits", paramLabel = "FILE",
            description = "Write the logits of every forward pass as raw little-endian float32, one row of vocab_size per position.")
    Path dumpLogits;

    enum OutputFormat { text, json }

    @Override
    public Integer call() throws Exception {
        checkFlags();
        long actualSeed = seed != null ? seed : System.nanoTime();
        SamplingSettings sampling = new SamplingSettings(temperature, topK, topP, actualSeed);
        Tokenizer tokenizer = Tokenizer.fromModelDir(modelOptions.modelDir());
        int[] promptIds = tokenizer.encode(prompt);
        int context = modelOptions.contextLength(modelOptions.config());
        if (promptIds.length > context) {
            throw new UserError("--prompt is " + promptIds.length + " tokens, longer than the context of " + context
                    + " tokens (see --context)");
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

        try (CausalLM model = modelOptions.open();
             LogitsFile logits = dumpLogits == null ? null : LogitsFile.create(dumpLogits)) {
            StreamDecoder decoder = tokenizer.streamDecoder(true);
            decoder.prime(promptIds);
            StringBuilder text = new StringBuilder();
            if (format == OutputFormat.text) {
                out.print(prompt);
            }
            Generator.TokenListener onToken = id -> {
                String piece = decoder.next(id);
                text.append(piece);
                if (format == OutputFormat.text) {
                    out.print(piece);
                    out.flush();
                }
            };
            GenerationResult result = new Generator(model, model.config().eosTokenIds()).generate(promptIds,
                    maxTokens, new Sampler(sampling, model.config().vocabSize()), onToken,
                    logits == null ? null : logits::write);
            if (logits != null) {
                logits.commit();
            }
            String rest = decoder.flush();
            text.append(rest);
            if (format == OutputFormat.json) {
                out.println(json(result, text.toString()));
            } else {
                out.print(rest);
                String all = prompt + text;
                if (!all.isEmpty() && !all.endsWith("\n")) {
                    out.println();
                }
            }
            System.err.printf("lpu: %d prompt tokens, %d generated (%s), prefill %.1f tok/s, decode %.1f tok/s, %s, seed %d%n",
                    result.promptTokens().length, result.tokens().length, stopText(result.stopReason()),
                    result.prefillTokensPerSecond(), result.decodeTokensPerSecond(), modelOptions.describe(), actualSeed);
        }
        return 0;
    }

    private void checkFlags() {
        if (maxTokens < 0) {
            throw new UserError("--max-tokens must be >= 0, got " + maxTokens);
        }
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new UserError("--temperature must be a number >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new UserError("--top-k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new UserError("--top-p must be in (0, 1], got " + topP);
        }
    }

    private static String stopText(GenerationResult.StopReason reason) {
        return switch (reason) {
            case END_OF_SEQUENCE -> "end of sequence";
            case MAX_TOKENS -> "--max-tokens reached";
            case CONTEXT_FULL -> "context full";
        };
    }

    private static String json(GenerationResult result, String text) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = mapper.createObjectNode();
        node.putPOJO("prompt_tokens", result.promptTokens());
        node.putPOJO("tokens", result.tokens());
        node.put("text", text);
        node.put("prefill_tokens_per_s", result.prefillTokensPerSecond());
        node.put("decode_tokens_per_s", result.decodeTokensPerSecond());
        node.put("stop_reason", result.stopReason().name().toLowerCase(java.util.Locale.ROOT));
        return node.toString();
    }
}
