package io.lpu4j.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizeCommandTest {
    private static final String STORIES = shared("models/stories260K").toString();

    /** The last run's output. */
    private CommandLineRun last;

    @Test
    void encodesStdinWithBos() {
        assertEquals(0, run("Once upon a time\n", "tokenize", "--model", STORIES));
        assertEquals("[1,403,407,261,378]\n", stdout());
    }

    @Test
    void encodesWithoutSpecialTokens() {
        assertEquals(0, run("Once upon a time", "tokenize", "--tokenizer", STORIES + "/tokenizer.json", "--no-special"));
        assertEquals("[403,407,261,378]\n", stdout());
    }

    @Test
    void jsonlLinesMayHoldNewlinesAndTabs() {
        String input = "\"Once upon a time\"\n\n\"a\\tb\\nc\"\n";
        assertEquals(0, run(input, "tokenize", "--model", STORIES, "--jsonl"));
        String[] lines = stdout().split("\n");
        assertEquals(2, lines.length);
        assertEquals("[1,403,407,261,378]", lines[0]);
        // The JSON escapes became a real tab and newline: their byte tokens <0x09> and <0x0A>.
        int[] expected = io.lpu4j.tokenizer.Tokenizer.fromModelDir(Path.of(STORIES)).encode("a\tb\nc");
        assertEquals(java.util.Arrays.toString(expected).replace(" ", ""), lines[1]);
        assertTrue(lines[1].contains(",12,") && lines[1].contains(",13,"), lines[1]);
    }

    @Test
    void decodesIdsBackToText() {
        assertEquals(0, run("[1,403,407,261,378]\n[13]\n", "tokenize", "--model", STORIES, "--decode"));
        assertEquals("\"<s> Once upon a time\"\n\"\\n\"\n", stdout());
        assertEquals(0, run("[1,403,407,261,378]\n", "tokenize", "--model", STORIES, "--decode", "--no-special"));
        assertEquals("\"Once upon a time\"\n", stdout());
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        assertEquals(2, run("[1, 99999]\n", "tokenize", "--model", STORIES, "--decode"));
        assertEquals("lpu: stdin line 1: 99999 is not a token id (0 to 511)\n", stderr());
        assertEquals(2, run("not json\n", "tokenize", "--model", STORIES, "--jsonl"));
        assertEquals("lpu: stdin line 1: not valid JSON: not json\n", stderr());
        assertEquals(2, run("x", "tokenize", "--model", "/no/such/model"));
        assertEquals("lpu: /no/such/model/tokenizer.json: no such file\n", stderr());
        assertEquals(2, run("x", "tokenize", "--model", STORIES, "--tokenizer", STORIES + "/tokenizer.json"));
        assertTrue(stderr().startsWith("lpu: ") && stderr().contains("mutually exclusive"), stderr());
    }

    private int run(String input, String... args) {
        last = CommandLineRun.withStdin(input, args);
        return last.exitCode();
    }

    private String stdout() {
        return last.stdout();
    }

    private String stderr() {
        return last.stderr();
    }

    private static Path shared(String relative) {
        Path p = Path.of(System.getProperty("lpu4j.shared")).resolve(relative);
        assertTrue(Files.isDirectory(p), "missing shared data " + p);
        return p;
    }
}
