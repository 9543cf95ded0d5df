package io.lpu4j.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lpu tokenize}: text on stdin to token ids (or back) as JSON, with a model's tokenizer. */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = {"Encodes stdin (less one final newline) into token ids, printed as a JSON array.",
            "With --jsonl each input line is a JSON string and each output line its ids;",
            "with --decode each input line is a JSON array of ids and each output line its text (a JSON string)."})
final class TokenizeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Source source;

    static final class Source {
        @Option(names = "--model", paramLabel = "DIR", description = "Model directory with tokenizer.json.")
        Path model;

        @Option(names = "--tokenizer", paramLabel = "FILE", description = "A tokenizer.json file.")
        Path tokenizer;
    }

    @Option(names = "--jsonl", description = "One JSON string per input line, one JSON array per output line.")
    private boolean jsonl;

    @Option(names = "--decode", description = "Decode: one JSON array of ids per input line, one JSON string out.")
    private boolean decode;

    @Option(names = "--no-special", description = "Encode without the post-processor's special tokens (BOS, [CLS]"
            + " ...); with --decode, leave special tokens out of the text.")
    private boolean noSpecial;

    @Override
    public Integer call() {
        Tokenizer tokenizer = source.model != null ? Tokenizer.fromModelDir(source.model)
                : Tokenizer.fromFile(source.tokenizer);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            if (decode) {
                InputLines.forEachNonBlank(in, (n, line) ->
                        out.println(json(tokenizer.decode(ids(n, line, tokenizer), noSpecial))));
            } else if (jsonl) {
                InputLines.forEachNonBlank(in, (n, line) ->
                        out.println(json(tokenizer.encode(InputLines.jsonString(n, line), !noSpecial))));
            } else {
                out.println(json(tokenizer.encode(withoutFinalNewline(in.readAllAsString()), !noSpecial)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.flush();
        }
        return 0;
    }

    /** So that {@code echo text | lpu tokenize} encodes just the text. */
    private static String withoutFinalNewline(String s) {
        if (s.endsWith("\r\n")) {
            return s.substring(0, s.length() - 2);
        }
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static int[] ids(int lineNumber, String line, Tokenizer tokenizer) {
        JsonNode node = InputLines.parse(lineNumber, line);
        if (!node.isArray()) {
            throw new UserError("stdin line " + lineNumber + ": expected a JSON array of token ids, got "
                    + InputLines.abbreviate(line));
        }
        int[] ids = new int[node.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = node.get(i);
            if (!id.canConvertToInt() || id.asInt() < 0 || id.asInt() >= tokenizer.vocabSize()) {
                throw new UserError("stdin line " + lineNumber + ": " + id + " is not a token id (0 to "
                        + (tokenizer.vocabSize() - 1) + ")");
            }
            ids[i] = id.asInt();
        }
        return ids;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
