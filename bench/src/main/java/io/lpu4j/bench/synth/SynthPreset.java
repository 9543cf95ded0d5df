package io.lpu4j.bench.synth;

import io.lpu4j.engine.model.RopeScaling;

import java.util.List;
import java.util.Optional;

/**
 * The architecture of a real model, without its weights: what {@code lpu synth} writes a model
 * directory for. Shapes follow each model's public {@code config.json} ({@code origin}).
 *
 * @param name             what {@code --preset} calls it
 * @param origin           the Hugging Face repository whose config.json this copies, or a note
 * @param architecture     llama or qwen2 (which fixes the config keys and the q/k/v biases)
 * @param dims             tensor sizes
 * @param maxPositions     max_position_embeddings
 * @param ropeTheta        rope_theta
 * @param ropeScaling      rope_scaling ({@link RopeScaling#NONE} writes null)
 * @param rmsNormEps       rms_norm_eps
 * @param tiedEmbeddings   tie_word_embeddings: lm_head is the embedding, so no lm_head tensor
 * @param initializerRange initializer_range, as the real config.json states it
 * @param bosTokenId       bos_token_id, or null when the vocabulary has no such token
 * @param eosTokenId       eos_token_id, or null when the vocabulary has no such token
 */
public record SynthPreset(String name, String origin, Architecture architecture, Dims dims,
                          int maxPositions, double ropeTheta, RopeScaling ropeScaling, double rmsNormEps,
                          boolean tiedEmbeddings, double initializerRange, Integer bosTokenId, Integer eosTokenId) {

    /** The config.json dialects lpu synth writes. */
    public enum Architecture {
        LLAMA("llama", "LlamaForCausalLM", false),
        QWEN2("qwen2", "Qwen2ForCausalLM", true);

        public final String modelType;
        public final String className;
        /** Whether q_proj, k_proj and v_proj carry biases. */
        public final boolean qkvBias;

        Architecture(String modelType, String className, boolean qkvBias) {
            this.modelType = modelType;
            this.className = className;
            this.qkvBias = qkvBias;
        }
    }

    /**
     * Tensor sizes.
     *
     * @param headDim the head width when config.json states it; 0 when it is implied as hidden / heads
     *                (and so left out of config.json, as the real file leaves it out)
     */
    public record Dims(int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim, int vocab) {
    }

    private static final boolean TIED = true;
    private static final boolean UNTIED = false;

    /** Every preset. Shapes checked against the public config.json files (see bench/README.md). */
    public static final List<SynthPreset> ALL = List.of(
            new SynthPreset("smollm2-135m", "HuggingFaceTB/SmolLM2-135M", Architecture.LLAMA,
                    new Dims(576, 1536, 30, 9, 3, 0, 49152), 8192, 100_000, RopeScaling.NONE, 1e-5,
                    TIED, 0.041666666666666664, 0, 0),
            new SynthPreset("smollm2-360m", "HuggingFaceTB/SmolLM2-360M", Architecture.LLAMA,
                    new Dims(960, 2560, 32, 15, 5, 0, 49152), 8192, 100_000, RopeScaling.NONE, 1e-5,
                    TIED, 0.02, 0, 0),
            new SynthPreset("qwen2.5-0.5b", "Qwen/Qwen2.5-0.5B", Architecture.QWEN2,
                    new Dims(896, 4864, 24, 14, 2, 0, 151936), 32768, 1_000_000, RopeScaling.NONE, 1e-6,
                    TIED, 0.02, 151643, 151643),
            new SynthPreset("tinyllama-1.1b", "TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T", Architecture.LLAMA,
                    new Dims(2048, 5632, 22, 32, 4, 0, 32000), 2048, 10_000, RopeScaling.NONE, 1e-5,
                    UNTIED, 0.02, 1, 2),
            new SynthPreset("llama-3.2-1b", "meta-llama/Llama-3.2-1B", Architecture.LLAMA,
                    new Dims(2048, 8192, 16, 32, 8, 64, 128256), 131072, 500_000,
                    new RopeScaling(RopeScaling.Type.LLAMA3, 32, 1, 4, 8192), 1e-5,
                    TIED, 0.02, 128000, 128001),
            new SynthPreset("llama-3-8b", "meta-llama/Meta-Llama-3-8B", Architecture.LLAMA,
                    new Dims(4096, 14336, 32, 32, 8, 0, 128256), 8192, 500_000, RopeScaling.NONE, 1e-5,
                    UNTIED, 0.02, 128000, 128001),
            // Not a real model: a llama as small as the shared stories260K for fast tests, untied so
            // that lm_head is exercised.
            new SynthPreset("test-tiny", "lpu4j test shape", Architecture.LLAMA,
                    new Dims(64, 172, 2, 4, 2, 0, 512), 512, 10_000, RopeScaling.NONE, 1e-5,
                    UNTIED, 0.02, 1, 2));

    public static Optional<SynthPreset> find(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(SynthPreset::name).toList();
    }

    /** The width of one attention head, stated or implied. */
    public int headDim() {
        return dims.headDim != 0 ? dims.headDim : dims.hidden / dims.heads;
    }

    /** The same model with fewer (or more) decoder layers: same head layout, less to write. */
    public SynthPreset withLayers(int layers) {
        return with(new Dims(dims.hidden, dims.intermediate, layers, dims.heads, dims.kvHeads, dims.headDim,
                dims.vocab), bosTokenId, eosTokenId);
    }

    /**
     * The same model with another vocabulary size. A special token whose id no longer fits is
     * dropped (null in config.json) rather than pointing past the embedding.
     */
    public SynthPreset withVocab(int vocab) {
        return with(new Dims(dims.hidden, dims.intermediate, dims.layers, dims.heads, dims.kvHeads, dims.headDim,
                vocab), fitting(bosTokenId, vocab), fitting(eosTokenId, vocab));
    }

    private SynthPreset with(Dims newDims, Integer bos, Integer eos) {
        return new SynthPreset(name, origin, architecture, newDims, maxPositions, ropeTheta, ropeScaling, rmsNormEps,
                tiedEmbeddings, initializerRange, bos, eos);
    }

    private static Integer fitting(Integer tokenId, int vocab) {
        return tokenId != null && tokenId < vocab ? tokenId : null;
    }
}
