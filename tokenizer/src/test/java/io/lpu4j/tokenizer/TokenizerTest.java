package io.lpu4j.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenizerTest {

    @Test
    void vocabularySizesAndLookups() {
        assertEquals(32000, Tokenizer.fromModelDir(SharedData.path("tokenizers/llama2")).vocabSize());
        assertEquals(50257, Tokenizer.fromModelDir(SharedData.path("tokenizers/gpt2")).vocabSize());
        assertEquals(30522, Tokenizer.fromModelDir(SharedData.path("models/all-MiniLM-L6-v2")).vocabSize());
        Tokenizer stories = Tokenizer.fromModelDir(SharedData.path("models/stories260K"));
        assertEquals(512, stories.vocabSize());
        assertEquals(OptionalInt.of(1), stories.tokenId("<s>"));
        assertEquals(OptionalInt.empty(), stories.tokenId("no such token"));
        assertEquals("</s>", stories.token(2).orElseThrow());
    }

    @Test
    void specialTokensAreAddedUnlessAskedNot() {
        Tokenizer stories = Tokenizer.fromModelDir(SharedData.path("models/stories260K"));
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, stories.encode("Once upon a time"));
        assertArrayEquals(new int[] {403, 407, 261, 378}, stories.encode("Once upon a time", false));
        assertEquals("Once upon a time", stories.decode(stories.encode("Once upon a time"), true));
        assertEquals("<s> Once upon a time", stories.decode(stories.encode("Once upon a time"), false));
    }

    /** As transformers does for Llama tokenizers, add_bos_token/add_eos_token in the config decide. */
    @Test
    void llamaConfigDecidesBosAndEos(@TempDir Path dir) throws Exception {
        Files.copy(SharedData.path("models/stories260K/tokenizer.json"), dir.resolve("tokenizer.json"));
        Files.writeString(dir.resolve("tokenizer_config.json"), """
                {"tokenizer_class": "LlamaTokenizer", "add_bos_token": false, "add_eos_token": true,
                 "bos_token": "<s>", "eos_token": "</s>"}""");
        assertArrayEquals(new int[] {403, 407, 261, 378, 2}, Tokenizer.fromModelDir(dir).encode("Once upon a time"));
    }

    @Test
    void offsetsAreJavaCharRanges() {
        Tokenizer gpt2 = Tokenizer.fromModelDir(SharedData.path("tokenizers/gpt2"));
        String text = "I 😀 you";
        Encoding e = gpt2.encodeWithOffsets(text, true);
        StringBuilder spans = new StringBuilder();
        for (Encoding.Offset o : e.offsets()) {
            spans.append('[').append(text, o.start(), o.end()).append(']');
        }
        // The emoji's bytes are split over tokens; each covers the whole emoji, as in HF.
        assertEquals("[I][ 😀][😀][ you]", spans.toString());
    }
}
