package io.lpu4j.bench.synth;

import io.lpu4j.engine.model.RopeScaling;
import io.lpu4j.weights.DType;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code config.json} and {@code generation_config.json} of a preset, with the keys that the real
 * model's files carry for its architecture ({@code transformers_version} is left out: no version of
 * transformers wrote these files).
 */
public final class HfConfig {
    public static final String CONFIG_FILE = "config.json";
    public static final String GENERATION_CONFIG_FILE = "generation_config.json";

    private HfConfig() {
    }

    /** Writes both files into {@code dir}. */
    public static void write(Path dir, SynthPreset preset, DType dtype) {
        HfJson.write(dir.resolve(CONFIG_FILE), config(preset, dtype));
        HfJson.write(dir.resolve(GENERATION_CONFIG_FILE), generationConfig(preset));
    }

    static Map<String, Object> config(SynthPreset preset, DType dtype) {
        SynthPreset.Dims d = preset.dims();
        Map<String, Object> c = new HashMap<>();
        c.put("architectures", List.of(preset.architecture().className));
        c.put("model_type", preset.architecture().modelType);
        c.put("hidden_size", d.hidden());
        c.put("intermediate_size", d.intermediate());
        c.put("num_hidden_layers", d.layers());
        c.put("num_attention_heads", d.heads());
        c.put("num_key_value_heads", d.kvHeads());
        c.put("vocab_size", d.vocab());
        c.put("max_position_embeddings", preset.maxPositions());
        c.put("hidden_act", "silu");
        c.put("rms_norm_eps", preset.rmsNormEps());
        c.put("rope_theta", preset.ropeTheta());
        c.put("tie_word_embeddings", preset.tiedEmbeddings());
        c.put("initializer_range", preset.initializerRange());
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", preset.bosTokenId());
        c.put("eos_token_id", preset.eosTokenId());
        c.put("torch_dtype", torchDtype(dtype));
        c.put("use_cache", true);
        switch (preset.architecture()) {
            case LLAMA -> {
                c.put("attention_bias", false);
                c.put("mlp_bias", false);
                c.put("pretraining_tp", 1);
                c.put("rope_scaling", ropeScaling(preset.ropeScaling()));
                if (d.headDim() != 0) {
                    c.put("head_dim", d.headDim());
                }
            }
            case QWEN2 -> {
                // Qwen2 configs name a sliding window but switch it off; every layer attends fully.
                c.put("use_sliding_window", false);
                c.put("sliding_window", preset.maxPositions());
                c.put("max_window_layers", d.layers());
                c.put("use_mrope", false);
            }
        }
        return c;
    }

    static Map<String, Object> generationConfig(SynthPreset preset) {
        Map<String, Object> g = new HashMap<>();
        if (preset.bosTokenId() != null) {
            g.put("bos_token_id", preset.bosTokenId());
        }
        if (preset.eosTokenId() != null) {
            g.put("eos_token_id", preset.eosTokenId());
        }
        return g;
    }

    /** The rope_scaling object, or null (a HashMap keeps the null, so the key is written). */
    private static Map<String, Object> ropeScaling(RopeScaling scaling) {
        return switch (scaling.type()) {
            case NONE -> null;
            case LINEAR -> Map.of("rope_type", "linear", "factor", scaling.factor());
            case LLAMA3 -> Map.of("rope_type", "llama3", "factor", scaling.factor(),
                    "low_freq_factor", scaling.lowFreqFactor(), "high_freq_factor", scaling.highFreqFactor(),
                    "original_max_position_embeddings", scaling.originalMaxPositions());
        };
    }

    private static String torchDtype(DType dtype) {
        return switch (dtype) {
            case F32 -> "float32";
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> throw new IllegalArgumentException("no torch dtype for " + dtype);
        };
    }
}
