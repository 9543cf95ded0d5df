package io.lpu4j.app;

import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lpu synth} through Main.run: what it writes, and one line with exit code 2 for each mistake. */
class SynthCommandTest {
    /** The last run's output. */
    private CommandLineRun last;

    @TempDir
    Path tmp;

    private int run(String... args) {
        last = CommandLineRun.of(args);
        return last.exitCode();
    }

    private List<String> errLines() {
        return last.stderr().lines().toList();
    }

    /** Runs a command that must fail on bad input: exit code 2 and exactly one line, starting "lpu: ". */
    private String userError(String... args) {
        assertEquals(2, run(args), String.join("\n", errLines()));
        List<String> lines = errLines();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.getFirst().startsWith("lpu: "), lines.getFirst());
        return lines.getFirst();
    }

    @Test
    void writesATinyModelTheEngineCanRead() throws IOException {
        Path model = tmp.resolve("tiny");
        assertEquals(0, run("synth", "--preset", "test-tiny", "--out", model.toString(), "--dtype", "f16",
                "--seed", "5", "--threads", "2"));
        assertEquals(model.toAbsolutePath().toString(), last.stdout().strip());
        List<String> lines = errLines();
        assertTrue(lines.contains("lpu synth: no tokenizer written: lpu4j has none for a 512-token vocabulary; "
                + "feed token ids directly"), String.join("\n", lines));
        assertTrue(lines.getLast().startsWith("lpu synth: done in "), lines.getLast());
        assertEquals(2, ModelConfig.load(model).numLayers());
        try (Checkpoint c = Checkpoint.open(model)) {
            assertEquals(DType.F16, c.tensor("model.embed_tokens.weight").dtype());
        }
        assertFalse(Files.exists(model.resolve("tokenizer.json")));
    }

    @Test
    void aLlama2SizedVocabularyGetsTheSharedTokenizer() throws IOException {
        Path model = tmp.resolve("llama2-vocab");
        assertEquals(0, run("synth", "--preset", "test-tiny", "--vocab", "32000", "--out", model.toString()));
        Path shared = Path.of(System.getProperty("lpu4j.shared")).resolve("tokenizers/llama2");
        for (String file : List.of("tokenizer.json", "tokenizer_config.json")) {
            assertArrayEquals(Files.readAllBytes(shared.resolve(file)), Files.readAllBytes(model.resolve(file)), file);
        }
        assertEquals(32000, ModelConfig.load(model).vocabSize());
    }

    @Test
    void layersOverrideShrinksARealPreset() {
        Path model = tmp.resolve("smol");
        assertEquals(0, run("synth", "--preset", "smollm2-135m", "--layers", "1", "--vocab", "256",
                "--max-file-mb", "1", "--out", model.toString()));
        ModelConfig c = ModelConfig.load(model);
        assertEquals(1, c.numLayers());
        assertEquals(3, c.numKvHeads());
        assertTrue(Files.exists(model.resolve(Checkpoint.INDEX_FILE)), "3.5 MB of BF16 in 1 MB files is sharded");
    }

    @Test
    void unknownPreset() {
        String line = userError("synth", "--preset", "nope", "--out", tmp.resolve("m").toString());
        assertTrue(line.contains("unknown preset 'nope'") && line.contains("tinyllama-1.1b"), line);
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void unknownDtype() {
        String line = userError("synth", "--preset", "test-tiny", "--dtype", "int4", "--out", tmp.resolve("m").toString());
        assertTrue(line.contains("expected bf16, f16 or f32, got 'int4'"), line);
    }

    @Test
    void nonEmptyOutputDirectory() throws IOException {
        Files.writeString(tmp.resolve("keep.txt"), "precious");
        String line = userError("synth", "--preset", "test-tiny", "--out", tmp.toString());
        assertTrue(line.contains("is not empty (pass --force"), line);
        assertEquals(List.of("keep.txt"), Files.list(tmp).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void nonPositiveNumbers() {
        assertTrue(userError("synth", "--preset", "test-tiny", "--layers", "0", "--out", tmp.resolve("m").toString())
                .contains("--layers must be positive, got 0"));
        assertTrue(userError("synth", "--preset", "test-tiny", "--max-file-mb", "-1", "--out",
                tmp.resolve("m").toString()).contains("--max-file-mb must be positive, got -1"));
    }

    @Test
    void missingTokenizerDirectory() {
        String line = userError("synth", "--preset", "test-tiny", "--tokenizer-from", tmp.resolve("none").toString(),
                "--out", tmp.resolve("m").toString());
        assertTrue(line.contains("no tokenizer at ") && line.contains("tokenizer.json is missing"), line);
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    @Test
    void missingRequiredOptions() {
        assertTrue(userError("synth", "--preset", "test-tiny").contains("Missing required option: '--out=DIR'"));
    }
}
