package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files lpu4j cannot use are refused with one line naming the file and what is wrong. */
class InvalidTokenizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
        "normalizer, normalizer, Foo",
        "pre_tokenizer, pre-tokenizer, Bar",
        "decoder, decoder, CTC",
        "post_processor, post-processor, Baz",
        "model, model, Unigram"})
    void unknownComponentTypesAreRefusedByName(String field, String what, String type, @TempDir Path dir)
            throws Exception {
        ObjectNode root = stories();
        if (field.equals("model")) {
            ((ObjectNode) root.get("model")).put("type", type);
        } else {
            root.putObject(field).put("type", type);
        }
        Path file = write(dir, root);
        InvalidTokenizerException e = assertThrows(InvalidTokenizerException.class, () -> Tokenizer.fromFile(file));
        assertEquals(file + ": " + what + " type '" + type + "' is not supported", e.getMessage());
    }

    @Test
    void nestedUnknownTypesToo(@TempDir Path dir) throws Exception {
        ObjectNode root = stories();
        root.putObject("normalizer").put("type", "Sequence").putArray("normalizers").addObject().put("type", "Precompiled");
        Path file = write(dir, root);
        InvalidTokenizerException e = assertThrows(InvalidTokenizerException.class, () -> Tokenizer.fromFile(file));
        assertTrue(e.getMessage().endsWith("normalizer type 'Precompiled' is not supported"), e.getMessage());
    }

    @Test
    void mergeOutsideTheVocabIsRefused(@TempDir Path dir) throws Exception {
        ObjectNode root = stories();
        ((com.fasterxml.jackson.databind.node.ArrayNode) root.get("model").get("merges")).add("zz qq");
        Path file = write(dir, root);
        InvalidTokenizerException e = assertThrows(InvalidTokenizerException.class, () -> Tokenizer.fromFile(file));
        assertTrue(e.getMessage().startsWith(file + ": BPE merge \"zz qq\""), e.getMessage());
    }

    @Test
    void missingAndMalformedFiles(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("nope/tokenizer.json");
        assertEquals(missing + ": no such file",
                assertThrows(InvalidTokenizerException.class, () -> Tokenizer.fromFile(missing)).getMessage());
        Path broken = dir.resolve("tokenizer.json");
        Files.writeString(broken, "{\"model\": [1, 2");
        String message = assertThrows(InvalidTokenizerException.class, () -> Tokenizer.fromFile(broken)).getMessage();
        assertTrue(message.startsWith(broken + ": not valid JSON"), message);
        assertFalse(message.contains("\n"), message);
    }

    private static ObjectNode stories() throws Exception {
        return (ObjectNode) JSON.readTree(SharedData.path("models/stories260K/tokenizer.json").toFile());
    }

    private static Path write(Path dir, ObjectNode root) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, JSON.writeValueAsString(root));
        return file;
    }
}
