package io.lpu4j.bench.synth;

import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.model.RopeScaling;
import io.lpu4j.weights.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The presets have the real models' shapes, and their config.json reads back as written. */
class SynthPresetTest {

    /** Parameter counts as published for the real checkpoints (tied lm_head counted once). */
    @ParameterizedTest
    @CsvSource({
            "smollm2-135m,   134515008",
            "smollm2-360m,   361821120",
            "qwen2.5-0.5b,   494032768",
            "tinyllama-1.1b, 1100048384",
            "llama-3.2-1b,   1235814400",
            "llama-3-8b,     8030261248",
    })
    void parameterCountsMatchTheRealModels(String name, long published) {
        assertEquals(published, ModelWeights.parameterCount(SynthPreset.find(name).orElseThrow()));
    }

    static List<SynthPreset> presets() {
        return SynthPreset.ALL;
    }

    @ParameterizedTest
    @MethodSource("presets")
    void configJsonReadsBackWithThePresetShape(SynthPreset preset, @TempDir Path dir) {
        HfConfig.write(dir, preset, DType.BF16);
        ModelConfig c = ModelConfig.load(dir);
        SynthPreset.Dims d = preset.dims();
        assertEquals(preset.architecture().modelType, c.modelType());
        assertEquals(d.hidden(), c.hiddenSize());
        assertEquals(d.intermediate(), c.intermediateSize());
        assertEquals(d.layers(), c.numLayers());
        assertEquals(d.heads(), c.numHeads());
        assertEquals(d.kvHeads(), c.numKvHeads());
        assertEquals(preset.headDim(), c.headDim());
        assertEquals(d.vocab(), c.vocabSize());
        assertEquals(preset.maxPositions(), c.maxPositions());
        assertEquals((float) preset.rmsNormEps(), c.rmsNormEps());
        assertEquals(preset.ropeTheta(), c.ropeTheta());
        assertEquals(preset.ropeScaling(), c.ropeScaling());
        assertEquals(preset.tiedEmbeddings(), c.tiedEmbeddings());
        assertEquals(preset.architecture().qkvBias, c.qkvBias());
        assertFalse(c.outputBias());
        assertEquals(preset.bosTokenId(), c.bosTokenId());
        assertEquals(Set.of(preset.eosTokenId()), c.eosTokenIds());
    }

    @Test
    void llama32HasItsLongContextRopeAndStatedHeadDim(@TempDir Path dir) throws Exception {
        SynthPreset llama32 = SynthPreset.find("llama-3.2-1b").orElseThrow();
        HfConfig.write(dir, llama32, DType.BF16);
        ModelConfig c = ModelConfig.load(dir);
        assertEquals(new RopeScaling(RopeScaling.Type.LLAMA3, 32, 1, 4, 8192), c.ropeScaling());
        assertEquals(131072, c.maxPositions());
        String json = Files.readString(dir.resolve(HfConfig.CONFIG_FILE));
        assertTrue(json.contains("\"head_dim\": 64,"), json);
        assertTrue(json.contains("\"rope_type\": \"llama3\""), json);
        assertTrue(json.contains("\"torch_dtype\": \"bfloat16\""), json);
    }

    @Test
    void qwenConfigSaysItsSlidingWindowIsOff(@TempDir Path dir) throws Exception {
        HfConfig.write(dir, SynthPreset.find("qwen2.5-0.5b").orElseThrow(), DType.F16);
        String json = Files.readString(dir.resolve(HfConfig.CONFIG_FILE));
        assertTrue(json.contains("\"use_sliding_window\": false,"), json);
        assertTrue(json.contains("\"rms_norm_eps\": 1e-06,"), json);
        assertTrue(json.contains("\"torch_dtype\": \"float16\""), json);
        assertEquals(32768, ModelConfig.load(dir).maxPositions());
    }

    @Test
    void shrinkingTheVocabularyDropsSpecialTokensThatNoLongerFit(@TempDir Path dir) {
        SynthPreset small = SynthPreset.find("llama-3.2-1b").orElseThrow().withVocab(1000).withLayers(2);
        assertNull(small.bosTokenId());
        assertNull(small.eosTokenId());
        assertEquals(2, small.dims().layers());
        assertEquals(64, small.headDim());
        HfConfig.write(dir, small, DType.BF16);
        ModelConfig c = ModelConfig.load(dir);
        assertEquals(-1, c.bosTokenId());
        assertTrue(c.eosTokenIds().isEmpty());
        assertEquals(1000, c.vocabSize());
        assertEquals(1, SynthPreset.find("test-tiny").orElseThrow().withVocab(100).bosTokenId());
    }

    @Test
    void pythonFloatReprMatchesJsonDumps() {
        assertEquals("1e-05", HfJson.pythonRepr(1e-5));
        assertEquals("1e-06", HfJson.pythonRepr(1e-6));
        assertEquals("0.0001", HfJson.pythonRepr(1e-4));
        assertEquals("0.02", HfJson.pythonRepr(0.02));
        assertEquals("0.041666666666666664", HfJson.pythonRepr(1 / 24.0));
        assertEquals("10000.0", HfJson.pythonRepr(10000));
        assertEquals("1000000.0", HfJson.pythonRepr(1e6));
        assertEquals("1000000000000000.0", HfJson.pythonRepr(1e15));
        assertEquals("1e+16", HfJson.pythonRepr(1e16));
        assertEquals("-2.5e-07", HfJson.pythonRepr(-2.5e-7));
        assertEquals("0.0", HfJson.pythonRepr(0));
    }
}
