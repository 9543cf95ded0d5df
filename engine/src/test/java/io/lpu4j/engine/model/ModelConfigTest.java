package io.lpu4j.engine.model;

import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {
    @TempDir
    Path dir;

    private ModelConfig parse(String json) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        return ModelConfig.load(dir);
    }

    private void assertRefused(String json, String... expectedParts) throws IOException {
        Files.writeString(dir.resolve("config.json"), json);
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json").toString()), e.getMessage());
        for (String part : expectedParts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertEquals(1, e.getMessage().lines().count());
    }

    private static String llama(String extra) {
        return """
                {"model_type": "llama", "hidden_size": 2048, "intermediate_size": 5632, "num_hidden_layers": 22,
                 "num_attention_heads": 32, "num_key_value_heads": 4, "vocab_size": 32000,
                 "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "hidden_act": "silu"%s}
                """.formatted(extra);
    }

    @Test
    void readsTheRealStories260KConfig() {
        ModelConfig c = ModelConfig.load(SharedData.model("stories260K"));
        assertEquals("llama", c.modelType());
        assertEquals(64, c.hiddenSize());
        assertEquals(8, c.numHeads());
        assertEquals(4, c.numKvHeads());
        assertEquals(8, c.headDim());
        assertTrue(c.tiedEmbeddings());
        assertEquals(Set.of(2), c.eosTokenIds());
        assertEquals(1, c.bosTokenId());
        assertEquals(1e-5f, c.rmsNormEps());
        assertEquals(RopeScaling.NONE, c.ropeScaling());
        assertFalse(c.quantization().isQuantized());
    }

    @Test
    void defaultsAndDerivedSizes() throws IOException {
        ModelConfig c = parse("""
                {"model_type": "llama", "hidden_size": 512, "intermediate_size": 1024, "num_hidden_layers": 2,
                 "num_attention_heads": 8, "vocab_size": 100}""");
        assertEquals(8, c.numKvHeads(), "no num_key_value_heads: multi-head attention");
        assertEquals(64, c.headDim());
        assertEquals(10000.0, c.ropeTheta());
        assertFalse(c.tiedEmbeddings(), "LlamaConfig's default");
        assertEquals(2048, c.maxPositions());
    }

    @Test
    void headDimWhenGivenAndMqa() throws IOException {
        ModelConfig c = parse(llama(", \"head_dim\": 128, \"num_key_value_heads\": 1"));
        assertEquals(128, c.headDim());
        assertEquals(4096, c.queryDim());
        assertEquals(128, c.kvDim());
    }

    @Test
    void qwen2HasQkvBiasesAndLlamaAttentionBiasCoversO() throws IOException {
        ModelConfig qwen = parse(llama(", \"model_type\": \"qwen2\"").replace("\"model_type\": \"llama\", ", ""));
        assertTrue(qwen.qkvBias());
        assertFalse(qwen.outputBias());
        ModelConfig biased = parse(llama(", \"attention_bias\": true"));
        assertTrue(biased.qkvBias() && biased.outputBias());
    }

    @Test
    void eosIdsFromConfigAndGenerationConfig() throws IOException {
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [128001, 128009], \"bos_token_id\": 128000}");
        ModelConfig c = parse(llama(", \"eos_token_id\": 128001"));
        assertEquals(Set.of(128001, 128009), c.eosTokenIds());
        assertEquals(128000, c.bosTokenId());
    }

    @Test
    void mistralSlidingWindowCapsTheContext() throws IOException {
        ModelConfig c = parse(llama(", \"model_type\": \"mistral\", \"sliding_window\": 1024").replace("\"model_type\": \"llama\", ", "")
                .replace("\"max_position_embeddings\": 2048", "\"max_position_embeddings\": 32768"));
        assertEquals(1024, c.maxPositions());
    }

    /** Llama 3.1's published inverse frequencies (transformers _compute_llama3_parameters, factor 8). */
    @Test
    void llama3RopeScaling() throws IOException {
        ModelConfig c = parse(llama(", \"head_dim\": 128, \"rope_theta\": 500000.0, \"rope_scaling\": {\"rope_type\": "
                + "\"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192}"));
        float[] inv = c.ropeScaling().inverseFrequencies(128, c.ropeTheta());
        assertEquals(1.0f, inv[0], 1e-7f, "highest frequency kept");
        // i = 63: theta^(-126/128) = 2.4e-6, wavelength > 8192: divided by 8.
        assertEquals((float) (Math.pow(500000, -126.0 / 128) / 8), inv[63], 1e-12f);
        // i = 40: wavelength 2π / 500000^(-80/128) = 23,548 lies between 2048 and 8192? no: above → /8
        double base40 = Math.pow(500000, -80.0 / 128);
        double wavelength = 2 * Math.PI / base40;
        double expected = wavelength > 8192 ? base40 / 8 : wavelength < 2048 ? base40
                : (1 - (8192 / wavelength - 1) / 3) * base40 / 8 + (8192 / wavelength - 1) / 3 * base40;
        assertEquals((float) expected, inv[40], 1e-9f);
        // Some frequency must fall in the smoothed band between the two cut-offs.
        boolean smoothed = false;
        for (int i = 0; i < 64; i++) {
            double base = Math.pow(500000, -2.0 * i / 128);
            double w = 2 * Math.PI / base;
            if (w >= 2048 && w <= 8192) {
                smoothed = true;
                double s = (8192 / w - 1) / 3;
                assertEquals((float) ((1 - s) * base / 8 + s * base), inv[i], 1e-9f, "i = " + i);
            }
        }
        assertTrue(smoothed);
    }

    @Test
    void refusesWhatItCannotRunByName() throws IOException {
        assertRefused(llama(", \"hidden_act\": \"gelu\""), "'hidden_act'", "gelu", "not supported");
        assertRefused(llama(", \"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4.0}"), "rope_type", "yarn");
        assertRefused(llama(", \"mlp_bias\": true"), "'mlp_bias'");
        assertRefused(llama(", \"partial_rotary_factor\": 0.5"), "'partial_rotary_factor'");
        assertRefused(llama(", \"quantization_config\": {\"quant_method\": \"gptq\", \"bits\": 4}"), "quant_method", "gptq");
        assertRefused(llama("").replace("\"llama\"", "\"gpt2\""), "'model_type'", "gpt2", "llama, mistral, qwen2");
    }

    @Test
    void refusesMalformedValuesNamingTheKey() throws IOException {
        assertRefused(llama("").replace("\"num_hidden_layers\": 22,", ""), "missing required key 'num_hidden_layers'");
        assertRefused(llama("").replace("\"hidden_size\": 2048", "\"hidden_size\": \"2048\""), "'hidden_size'", "positive integer");
        assertRefused(llama("").replace("\"num_key_value_heads\": 4", "\"num_key_value_heads\": 5"),
                "'num_key_value_heads'", "divide");
        assertRefused(llama("").replace("\"hidden_size\": 2048", "\"hidden_size\": -2048"), "'hidden_size'");
        assertRefused("[1, 2]", "expected a JSON object");
        assertRefused("{ \"model_type\": ", "not valid JSON");
        assertRefused(llama(", \"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}"),
                "missing required key 'rope_scaling.low_freq_factor'");
    }

    @Test
    void missingDirectoryOrFile() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ModelConfig.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such model directory"), e.getMessage());
        e = assertThrows(InvalidModelException.class, () -> ModelConfig.load(dir));
        assertTrue(e.getMessage().contains("config.json: no such file"), e.getMessage());
    }
}
