package io.lpu4j.engine;

import io.lpu4j.weights.DType;
import io.lpu4j.weights.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.lpu4j.engine.model.TensorNames.*;

/** Small models written by tests: real architectures, seeded random weights. */
public final class TestModels {
    private TestModels() {
    }

    /**
     * A Qwen2-style decoder: q/k/v biases, GQA (6 query heads over 2 kv heads), tied embeddings,
     * a hidden size (96) and intermediate size (200) that are not multiples of the vector width.
     */
    public static Path qwen2(Path dir) {
        return qwen2(dir, 6, 2, 200, 3, 300);
    }

    /** The same kind of model with other sizes: heads of 16 dimensions (hidden = 16 × heads). */
    public static Path qwen2(Path dir, int heads, int kvHeads, int intermediate, int layers, int vocab) {
        int headDim = 16;
        int hidden = heads * headDim;
        String config = """
                {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": %d,
                 "intermediate_size": %d, "num_hidden_layers": %d, "num_attention_heads": %d,
                 "num_key_value_heads": %d, "vocab_size": %d, "max_position_embeddings": 256,
                 "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu",
                 "tie_word_embeddings": true, "use_sliding_window": false, "sliding_window": 4096,
                 "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32"}
                """.formatted(hidden, intermediate, layers, heads, kvHeads, vocab);
        SplittableRandom random = new SplittableRandom(2024);
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        entries.add(gaussian(EMBEDDING, random, 0.5, vocab, hidden));
        for (int l = 0; l < layers; l++) {
            entries.add(ones(attentionNorm(l), random, hidden));
            int[] widths = {heads * headDim, kvHeads * headDim, kvHeads * headDim};
            String[] names = {"q_proj", "k_proj", "v_proj"};
            for (int i = 0; i < 3; i++) {
                entries.add(gaussian(attention(l, names[i], "weight"), random, 1 / Math.sqrt(hidden), widths[i], hidden));
                entries.add(gaussian(attention(l, names[i], "bias"), random, 0.1, widths[i]));
            }
            entries.add(gaussian(attention(l, "o_proj", "weight"), random, 1 / Math.sqrt(hidden), hidden, heads * headDim));
            entries.add(ones(mlpNorm(l), random, hidden));
            entries.add(gaussian(mlp(l, "gate_proj"), random, 1 / Math.sqrt(hidden), intermediate, hidden));
            entries.add(gaussian(mlp(l, "up_proj"), random, 1 / Math.sqrt(hidden), intermediate, hidden));
            entries.add(gaussian(mlp(l, "down_proj"), random, 1 / Math.sqrt(intermediate), hidden, intermediate));
        }
        entries.add(ones(FINAL_NORM, random, hidden));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), entries, Map.of("format", "pt"));
        return dir;
    }

    private static SafetensorsWriter.Entry gaussian(String name, SplittableRandom random, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] values = new float[(int) n];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return SafetensorsWriter.Entry.ofFloats(name, DType.F32, shape, values);
    }

    private static SafetensorsWriter.Entry ones(String name, SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (1 + 0.1 * random.nextGaussian());
        }
        return SafetensorsWriter.Entry.ofFloats(name, DType.F32, new long[] {n}, values);
    }
}
