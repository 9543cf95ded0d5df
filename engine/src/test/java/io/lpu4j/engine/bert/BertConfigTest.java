package io.lpu4j.engine.bert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lpu4j.engine.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void readsMiniLm() {
        BertConfig config = BertConfig.read(MiniLmGolden.modelDir());
        assertEquals(new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f), config);
        assertEquals(32, config.headDim());
    }

    @Test
    void positionEmbeddingTypeMayBeAbsentAndThenIsAbsolute() throws IOException {
        assertEquals(BertConfig.read(MiniLmGolden.modelDir()),
                BertConfig.read(writeMiniLmConfigWith(c -> c.remove("position_embedding_type"))));
    }

    @Test
    void refusesAnotherActivationByName() {
        assertRefused(c -> c.put("hidden_act", "relu"), "'hidden_act' = 'relu' is not supported (expected gelu)");
        assertRefused(c -> c.put("hidden_act", "gelu_new"), "'hidden_act' = 'gelu_new' is not supported");
    }

    @Test
    void refusesWhatWouldChangeTheArithmetic() {
        assertRefused(c -> c.put("position_embedding_type", "relative_key"),
                "'position_embedding_type' = 'relative_key' is not supported (expected absolute)");
        assertRefused(c -> c.put("model_type", "roberta"), "'model_type' = 'roberta' is not supported (expected bert)");
        assertRefused(c -> c.put("is_decoder", true), "'is_decoder' = true is not supported (expected false)");
    }

    @Test
    void namesAMissingKey() {
        assertRefused(c -> c.remove("num_attention_heads"), "missing required key 'num_attention_heads'");
        assertRefused(c -> c.remove("layer_norm_eps"), "missing required key 'layer_norm_eps'");
        assertRefused(c -> c.remove("hidden_act"), "missing required key 'hidden_act'");
    }

    @Test
    void refusesSizesThatAreNotPositiveOrDoNotDivide() {
        assertRefused(c -> c.put("num_attention_heads", 7),
                "'hidden_size' = 384 is not a multiple of 'num_attention_heads' = 7");
        assertRefused(c -> c.put("intermediate_size", 0), "'intermediate_size' must be a positive integer, got 0");
        assertRefused(c -> c.put("hidden_size", "384"), "'hidden_size' must be a positive integer, got \"384\"");
        assertRefused(c -> c.put("layer_norm_eps", -1e-12), "'layer_norm_eps' must be positive, got -1.0E-12");
    }

    @Test
    void namesTheFileWhenItIsNotJson() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{ \"hidden_size\": ");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> BertConfig.read(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": not valid JSON"), e.getMessage());
    }

    private void assertRefused(Consumer<ObjectNode> change, String expected) {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> BertConfig.read(writeMiniLmConfigWith(change)));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": " + expected), e.getMessage());
    }

    /** MiniLM's config.json with {@code change} applied, written to the temporary model directory. */
    private Path writeMiniLmConfigWith(Consumer<ObjectNode> change) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(MiniLmGolden.modelDir().resolve("config.json").toFile());
        change.accept(config);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        return dir;
    }
}
