package io.lpu4j.engine.bert;

import io.lpu4j.engine.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolingTest {
    private static final String MODULES = """
            [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
             {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}%s]
            """;
    private static final String NORMALIZE =
            ", {\"idx\": 2, \"name\": \"2\", \"path\": \"2_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}";

    @TempDir
    Path dir;

    @Test
    void miniLmMeanPoolsThenNormalizes() {
        assertEquals(new Pooling(Pooling.Mode.MEAN, true), Pooling.read(MiniLmGolden.modelDir(), 384));
    }

    @Test
    void withoutSentenceTransformersFilesItIsMeanWithoutNormalization() throws IOException {
        assertEquals(new Pooling(Pooling.Mode.MEAN, false), Pooling.read(dir, 384));
        Files.writeString(dir.resolve("modules.json"), MODULES.formatted(""));
        assertEquals(new Pooling(Pooling.Mode.MEAN, false), Pooling.read(dir, 384), "Pooling module without config");
    }

    @Test
    void readsClsMode() throws IOException {
        writePooling(NORMALIZE, "\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false");
        assertEquals(new Pooling(Pooling.Mode.CLS, true), Pooling.read(dir, 384));
    }

    @Test
    void refusesOtherModesByName() throws IOException {
        writePooling("", "\"pooling_mode_max_tokens\": true, \"pooling_mode_mean_tokens\": false");
        assertRefused("1_Pooling/config.json: 'pooling_mode_max_tokens' is not supported");
        writePooling("", "\"pooling_mode_mean_sqrt_len_tokens\": true");
        assertRefused("1_Pooling/config.json: 'pooling_mode_mean_sqrt_len_tokens' is not supported");
        writePooling("", "\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": true");
        assertRefused("1_Pooling/config.json: several pooling modes are set");
        writePooling("", "\"pooling_mode_mean_tokens\": false");
        assertRefused("1_Pooling/config.json: no pooling mode is set");
        writePooling("", "\"pooling_mode_mean_tokens\": true, \"word_embedding_dimension\": 768");
        assertRefused("'word_embedding_dimension' = 768 does not match the model's hidden_size 384");
    }

    @Test
    void refusesModulesItWouldOtherwiseSkip() throws IOException {
        writePooling(", {\"path\": \"2_Dense\", \"type\": \"sentence_transformers.models.Dense\"}",
                "\"pooling_mode_mean_tokens\": true");
        assertRefused("modules.json: module type 'sentence_transformers.models.Dense' is not supported");
    }

    @Test
    void meanAveragesOnlyMaskedInTokens() {
        float[][] tokens = {{1, 2}, {3, 6}, {100, 100}};
        assertArrayEquals(new float[]{2, 4}, new Pooling(Pooling.Mode.MEAN, false).apply(tokens, new int[]{1, 1, 0}));
        assertArrayEquals(new float[]{1, 2}, new Pooling(Pooling.Mode.CLS, false).apply(tokens, new int[]{1, 1, 0}));
        assertArrayEquals(new float[]{0.6f, 0.8f}, new Pooling(Pooling.Mode.MEAN, true).apply(
                new float[][]{{3, 4}, {3, 4}}, new int[]{1, 1}));
    }

    private void writePooling(String extraModules, String poolingSettings) throws IOException {
        Files.writeString(dir.resolve("modules.json"), MODULES.formatted(extraModules));
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{" + poolingSettings + "}");
    }

    private void assertRefused(String expected) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Pooling.read(dir, 384));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
