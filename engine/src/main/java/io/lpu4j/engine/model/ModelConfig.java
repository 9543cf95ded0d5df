package io.lpu4j.engine.model;

import io.lpu4j.engine.InvalidModelException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape and settings of a decoder-only model of the Llama family (llama, mistral, qwen2), read
 * from {@code config.json} (and {@code generation_config.json} for the end-of-sequence ids).
 * Settings that change the arithmetic and that lpu4j does not implement are refused by name.
 *
 * @param modelType        llama, mistral or qwen2
 * @param hiddenSize       width of the residual stream
 * @param intermediateSize width of the gated MLP
 * @param numLayers        decoder layers
 * @param numHeads         query heads
 * @param numKvHeads       key/value heads (GQA when fewer than numHeads, MQA when 1)
 * @param headDim          width of one head (not always hiddenSize / numHeads)
 * @param vocabSize        rows of the embedding and of lm_head
 * @param maxPositions     longest context the model supports (capped by an active sliding window)
 * @param rmsNormEps       epsilon added to the mean square in RMSNorm
 * @param ropeTheta        RoPE base
 * @param ropeScaling      long-context frequency scaling
 * @param tiedEmbeddings   lm_head is the embedding matrix
 * @param qkvBias          q, k and v projections have biases (qwen2; llama with attention_bias)
 * @param outputBias       the attention output projection has a bias (llama with attention_bias)
 * @param bosTokenId       beginning-of-sequence id, or -1
 * @param eosTokenIds      ids that end generation
 * @param quantization     how the checkpoint's own weights are quantized (usually {@code NONE})
 */
public record ModelConfig(String modelType, int hiddenSize, int intermediateSize, int numLayers,
                          int numHeads, int numKvHeads, int headDim, int vocabSize, int maxPositions,
                          float rmsNormEps, double ropeTheta, RopeScaling ropeScaling,
                          boolean tiedEmbeddings, boolean qkvBias, boolean outputBias,
                          int bosTokenId, Set<Integer> eosTokenIds, CheckpointQuantization quantization) {

    public static final List<String> SUPPORTED_TYPES = List.of("llama", "mistral", "qwen2");

    public ModelConfig {
        eosTokenIds = Set.copyOf(eosTokenIds);
    }

    /** Width of all query heads together (the q projection's output). */
    public int queryDim() {
        return numHeads * headDim;
    }

    /** Width of all key (or value) heads together. */
    public int kvDim() {
        return numKvHeads * headDim;
    }

    /** Reads {@code modelDir/config.json} (and {@code generation_config.json} if present). */
    public static ModelConfig load(Path modelDir) {
        if (!Files.isDirectory(modelDir)) {
            throw new InvalidModelException(modelDir + ": no such model directory");
        }
        JsonConfig config = JsonConfig.read(modelDir.resolve("config.json"));
        Path generation = modelDir.resolve("generation_config.json");
        return parse(config, Files.isRegularFile(generation) ? JsonConfig.read(generation) : null);
    }

    /** Parses a config; {@code generation} may be null. */
    public static ModelConfig parse(JsonConfig config, JsonConfig generation) {
        String type = config.string("model_type", null);
        if (type == null) {
            throw new InvalidModelException(config.file() + ": missing required key 'model_type'");
        }
        if (!SUPPORTED_TYPES.contains(type)) {
            throw config.error("model_type", "= '" + type + "' is not supported by the decoder (expected one of "
                    + String.join(", ", SUPPORTED_TYPES) + ")");
        }
        refuseUnsupported(config);

        int hidden = config.requirePositiveInt("hidden_size");
        int heads = config.requirePositiveInt("num_attention_heads");
        int kvHeads = config.positiveInt("num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw config.error("num_key_value_heads", "= " + kvHeads + " must divide num_attention_heads = " + heads);
        }
        if (!config.has("head_dim") && hidden % heads != 0) {
            throw config.error("num_attention_heads", "= " + heads + " must divide hidden_size = " + hidden
                    + " (or give head_dim)");
        }
        int headDim = config.positiveInt("head_dim", hidden / heads);
        if (headDim % 2 != 0) {
            throw config.error("head_dim", "= " + headDim + " must be even for rotary embeddings");
        }

        // transformers 5 moved rope_theta and rope_scaling into one rope_parameters object.
        JsonConfig ropeParameters = config.object("rope_parameters");
        JsonConfig rope = ropeParameters != null ? ropeParameters : config;
        double theta = rope.positiveNumber("rope_theta", 10000.0);
        RopeScaling scaling = RopeScaling.from(ropeParameters != null ? ropeParameters : config.object("rope_scaling"));

        boolean attentionBias = config.bool("attention_bias", false);
        boolean qkvBias = type.equals("qwen2") || attentionBias;
        boolean outputBias = type.equals("llama") && attentionBias;

        Set<Integer> eos = new LinkedHashSet<>(config.intOrInts("eos_token_id"));
        int bos = config.intOrInts("bos_token_id").stream().findFirst().orElse(-1);
        if (generation != null) {
            eos.addAll(generation.intOrInts("eos_token_id"));
            bos = generation.intOrInts("bos_token_id").stream().findFirst().orElse(bos);
        }

        return new ModelConfig(type, hidden,
                config.requirePositiveInt("intermediate_size"),
                config.requirePositiveInt("num_hidden_layers"),
                heads, kvHeads, headDim,
                config.requirePositiveInt("vocab_size"),
                contextLimit(config, type),
                (float) config.positiveNumber("rms_norm_eps", 1e-6),
                theta, scaling,
                config.bool("tie_word_embeddings", false),
                qkvBias, outputBias, bos, eos, CheckpointQuantization.from(config));
    }

    /**
     * max_position_embeddings, but no more than an active sliding window: within the window sliding
     * attention equals full attention, so capping the context keeps the arithmetic exact.
     */
    private static int contextLimit(JsonConfig config, String type) {
        int max = config.positiveInt("max_position_embeddings", 2048);
        boolean slidingActive = switch (type) {
            case "mistral" -> config.has("sliding_window");
            case "qwen2" -> config.bool("use_sliding_window", false) && config.has("sliding_window");
            default -> false;
        };
        return slidingActive ? Math.min(max, config.positiveInt("sliding_window", max)) : max;
    }

    /** Settings that would change the arithmetic in ways lpu4j does not implement. */
    private static void refuseUnsupported(JsonConfig config) {
        String act = config.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw config.error("hidden_act", "= '" + act + "' is not supported (expected silu)");
        }
        if (config.bool("mlp_bias", false)) {
            throw config.error("mlp_bias", "= true is not supported (expected false)");
        }
        if (config.number("partial_rotary_factor", 1.0) != 1.0) {
            throw config.error("partial_rotary_factor", "is not supported (expected 1.0)");
        }
    }
}
