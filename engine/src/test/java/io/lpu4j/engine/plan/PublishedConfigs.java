package io.lpu4j.engine.plan;

import io.lpu4j.engine.model.JsonConfig;
import io.lpu4j.engine.model.ModelConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config.json of real models as their publishers ship them (checked against the published files
 * and the models' printed module shapes), so that plans are tested on the shapes lpu4j is for,
 * without their weights.
 */
enum PublishedConfigs {
    /** TinyLlama/TinyLlama-1.1B-Chat-v1.0: 22 layers, GQA 32/4, untied. */
    TINYLLAMA_1_1B("TinyLlama-1.1B", """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "bos_token_id": 1,
              "eos_token_id": 2,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 5632,
              "max_position_embeddings": 2048,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 22,
              "num_key_value_heads": 4,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": null,
              "rope_theta": 10000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.35.0",
              "use_cache": true,
              "vocab_size": 32000
            }
            """),
    /** meta-llama/Llama-3.2-1B: 16 layers, GQA 32/8, head_dim 64, tied, llama3 RoPE scaling. */
    LLAMA_3_2_1B("Llama-3.2-1B", """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "head_dim": 64,
              "hidden_act": "silu",
              "hidden_size": 2048,
              "initializer_range": 0.02,
              "intermediate_size": 8192,
              "max_position_embeddings": 131072,
              "mlp_bias": false,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 16,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": {
                "factor": 32.0,
                "high_freq_factor": 4.0,
                "low_freq_factor": 1.0,
                "original_max_position_embeddings": 8192,
                "rope_type": "llama3"
              },
              "rope_theta": 500000.0,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.45.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """),
    /** meta-llama/Meta-Llama-3-8B: 32 layers, GQA 32/8, untied 128256-token vocabulary. */
    LLAMA_3_8B("Llama-3-8B", """
            {
              "architectures": ["LlamaForCausalLM"],
              "attention_bias": false,
              "attention_dropout": 0.0,
              "bos_token_id": 128000,
              "eos_token_id": 128001,
              "hidden_act": "silu",
              "hidden_size": 4096,
              "initializer_range": 0.02,
              "intermediate_size": 14336,
              "max_position_embeddings": 8192,
              "model_type": "llama",
              "num_attention_heads": 32,
              "num_hidden_layers": 32,
              "num_key_value_heads": 8,
              "pretraining_tp": 1,
              "rms_norm_eps": 1e-05,
              "rope_scaling": null,
              "rope_theta": 500000.0,
              "tie_word_embeddings": false,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.40.0.dev0",
              "use_cache": true,
              "vocab_size": 128256
            }
            """),
    /** Qwen/Qwen2.5-0.5B: q/k/v biases, GQA 14/2, tied 151936-token vocabulary. */
    QWEN2_5_0_5B("Qwen2.5-0.5B", """
            {
              "architectures": ["Qwen2ForCausalLM"],
              "attention_dropout": 0.0,
              "bos_token_id": 151643,
              "eos_token_id": 151643,
              "hidden_act": "silu",
              "hidden_size": 896,
              "initializer_range": 0.02,
              "intermediate_size": 4864,
              "max_position_embeddings": 32768,
              "max_window_layers": 24,
              "model_type": "qwen2",
              "num_attention_heads": 14,
              "num_hidden_layers": 24,
              "num_key_value_heads": 2,
              "rms_norm_eps": 1e-06,
              "rope_theta": 1000000.0,
              "sliding_window": 32768,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.40.1",
              "use_cache": true,
              "use_mrope": false,
              "use_sliding_window": false,
              "vocab_size": 151936
            }
            """);

    final String title;
    private final String json;

    PublishedConfigs(String title, String json) {
        this.title = title;
        this.json = json;
    }

    /** Writes {@code dir/<title>/config.json} and parses it as lpu4j reads any model's config. */
    ModelConfig load(Path dir) {
        try {
            Path modelDir = Files.createDirectories(dir.resolve(title));
            Files.writeString(modelDir.resolve("config.json"), json);
            return ModelConfig.parse(JsonConfig.read(modelDir.resolve("config.json")), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
