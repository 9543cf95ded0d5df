package io.lpu4j.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamDecoderTest {

    /** On every test string: the streamed pieces concatenate to the full decode, and no piece has U+FFFD. */
    @ParameterizedTest
    @ValueSource(strings = {"tokenizers/llama2", "tokenizers/gpt2", "models/stories260K", "models/all-MiniLM-L6-v2"})
    void streamedTextEqualsFullDecode(String dir) {
        Tokenizer tokenizer = Tokenizer.fromModelDir(SharedData.path(dir)).withoutTruncationAndPadding();
        List<String> failures = new ArrayList<>();
        for (String text : TestStrings.generate(99, 2000)) {
            int[] ids = tokenizer.encode(text);
            for (boolean skip : new boolean[] {true, false}) {
                String full = tokenizer.decode(ids, skip);
                StreamDecoder stream = tokenizer.streamDecoder(skip);
                StringBuilder streamed = new StringBuilder();
                boolean broken = false;
                for (int id : ids) {
                    String piece = stream.next(id);
                    broken |= piece.indexOf('\uFFFD') >= 0 && full.indexOf('\uFFFD') < 0;
                    streamed.append(piece);
                }
                streamed.append(stream.flush());
                if (broken || !streamed.toString().equals(full)) {
                    failures.add(OracleComparison.quote(text) + " -> " + OracleComparison.quote(streamed.toString())
                            + (broken ? " (emitted U+FFFD)" : ""));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " streams differ, e.g. " + failures.subList(0, Math.min(5, failures.size())));
    }

    @Test
    void waitsForTheLastByteOfAChar() {
        Tokenizer llama = Tokenizer.fromModelDir(SharedData.path("tokenizers/llama2"));
        int[] ids = llama.encode("a😀", false); // ▁a, then the emoji's four byte tokens
        assertEquals(List.of("▁a", "<0xF0>", "<0x9F>", "<0x98>", "<0x80>"),
                java.util.Arrays.stream(ids).mapToObj(id -> llama.token(id).orElseThrow()).toList());
        StreamDecoder stream = llama.streamDecoder(true);
        assertEquals("a", stream.next(ids[0]));
        assertEquals("", stream.next(ids[1]));
        assertEquals("", stream.next(ids[2]));
        assertEquals("", stream.next(ids[3]));
        assertEquals("😀", stream.next(ids[4]));
        assertEquals("", stream.flush());
    }

    @Test
    void primedWithThePromptTheFirstWordKeepsItsSpace() {
        Tokenizer stories = Tokenizer.fromModelDir(SharedData.path("models/stories260K"));
        int[] prompt = stories.encode("Once upon a time");
        int[] next = stories.encode("Once upon a time there", true);
        int there = next[next.length - 1];
        assertEquals("▁there", stories.token(there).orElseThrow());
        StreamDecoder stream = stories.streamDecoder(true);
        stream.prime(prompt);
        assertEquals(" there", stream.next(there));

        StreamDecoder unprimed = stories.streamDecoder(true);
        assertEquals("there", unprimed.next(there)); // the very first token loses its space, as in decode
    }

    @Test
    void bytesThatFormNoCharWaitForACleanEnd() {
        Tokenizer llama = Tokenizer.fromModelDir(SharedData.path("tokenizers/llama2"));
        int ff = llama.tokenId("<0xFF>").orElseThrow();
        int a = llama.tokenId("\u2581a").orElseThrow();
        StreamDecoder stream = llama.streamDecoder(true);
        for (int i = 0; i < 3; i++) {
            assertEquals("", stream.next(ff));
        }
        assertEquals(llama.decode(new int[] {ff, ff, ff, a}, true), stream.next(a));
        assertEquals("\uFFFD\uFFFD\uFFFD a", llama.decode(new int[] {ff, ff, ff, a}, true));
        StreamDecoder unfinished = llama.streamDecoder(true);
        unfinished.next(ff);
        assertEquals("\uFFFD", unfinished.flush());
    }
}
