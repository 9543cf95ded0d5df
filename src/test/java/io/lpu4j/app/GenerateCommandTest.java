package io.lpu4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lpu generate} against llama2.c's run.c on the real stories260K. */
class GenerateCommandTest {
    static final String STORIES = CommandLineRun.shared("models/stories260K").toString();
    static final ObjectMapper JSON = new ObjectMapper();

    static int[] golden(String key) throws IOException {
        for (String line : Files.readAllLines(CommandLineRun.shared("golden/stories260K/runc_greedy_once_upon_a_time_120.txt"))) {
            if (line.startsWith(key + " ")) {
                return Arrays.stream(line.substring(key.length()).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            }
        }
        throw new IllegalStateException(key);
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--reference", "--weights=f32"})
    void greedyFromThePromptReproducesRunC(String mode) throws IOException {
        CommandLineRun run = CommandLineRun.of("generate", "--model", STORIES, "--prompt", "Once upon a time",
                "--max-tokens", "116", "--format", "json", mode);
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode result = JSON.readTree(run.stdout());
        assertTrue(Arrays.equals(golden("PROMPT_TOKENS"), ints(result.get("prompt_tokens"))));
        int[] all = golden("ALL_TOKENS");
        assertTrue(Arrays.equals(Arrays.copyOfRange(all, 5, all.length), ints(result.get("tokens"))), result.toString());
        assertTrue(result.get("decode_tokens_per_s").asDouble() > 0);
        assertTrue(result.get("prefill_tokens_per_s").asDouble() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--reference", "--weights=f32"})
    void twoHundredStepsFromBosPrintRunCsText(String mode) throws IOException {
        CommandLineRun run = CommandLineRun.of("generate", "--model", STORIES, "--max-tokens", "200", mode);
        assertEquals(0, run.exitCode(), run.stderr());
        String expected = Files.readString(CommandLineRun.shared("golden/stories260K/runc_200steps_from_bos.txt"));
        assertEquals(expected, run.stdout());
        assertTrue(run.stderr().contains("1 prompt tokens, 200 generated"), run.stderr());
    }

    @Test
    void dumpedLogitsMatchRunC(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("logits.bin");
        CommandLineRun run = CommandLineRun.of("generate", "--model", STORIES, "--prompt", "Once upon a time",
                "--max-tokens", "116", "--weights", "f32", "--dump-logits", file.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        float[] actual = floats(file);
        float[] expected = floats(CommandLineRun.shared("golden/stories260K/runc_logits_120x512_f32le.bin"));
        assertEquals(expected.length, actual.length, "120 rows of 512");
        float max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(max <= 1e-4f, "max |logit difference| " + max);
    }

    @Test
    void sameSeedSameText() {
        String[] args = {"generate", "--model", STORIES, "--prompt", "The dog", "--max-tokens", "40",
                "--temperature", "0.9", "--top-p", "0.9", "--top-k", "40", "--seed", "7"};
        CommandLineRun first = CommandLineRun.of(args);
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals(first.stdout(), CommandLineRun.of(args).stdout());
        args[args.length - 1] = "8";
        assertFalse(first.stdout().equals(CommandLineRun.of(args).stdout()), "another seed, another text");
    }

    @Test
    void userMistakesAreOneLineWithExitCode2(@TempDir Path dir) {
        assertRefused("--max-tokens", "generate", "--model", STORIES, "--max-tokens", "-1");
        assertRefused("--temperature", "generate", "--model", STORIES, "--temperature", "-0.5");
        assertRefused("--top-p", "generate", "--model", STORIES, "--top-p", "1.5");
        assertRefused("--weights", "generate", "--model", STORIES, "--weights", "fp4");
        assertRefused("--threads", "generate", "--model", STORIES, "--threads", "0");
        assertRefused("--context", "generate", "--model", STORIES, "--context", "100000");
        assertRefused("--model", "generate", "--model", dir.resolve("nope").toString());
        assertRefused("--bogus", "generate", "--model", STORIES, "--bogus");
        assertRefused("longer than the context", "generate", "--model", STORIES, "--context", "8",
                "--prompt", "Once upon a time there was a big dog who liked to run");
    }

    private static void assertRefused(String mentioned, String... args) {
        CommandLineRun run = CommandLineRun.of(args);
        assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run.stderr());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().startsWith("lpu: ") && run.stderr().contains(mentioned), run.stderr());
    }

    static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}
