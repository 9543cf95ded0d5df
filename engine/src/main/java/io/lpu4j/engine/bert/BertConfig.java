package io.lpu4j.engine.bert;

import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.model.JsonConfig;

import java.nio.file.Path;

/**
 * The parts of a Hugging Face {@code config.json} that shape a BERT encoder. Only what this engine
 * computes is accepted: a setting that would change the arithmetic (another activation, relative
 * positions, a decoder) is refused by name rather than silently ignored.
 *
 * @param vocabSize        rows of the word-embedding table
 * @param hiddenSize       width of every token vector
 * @param numLayers        encoder layers
 * @param numHeads         attention heads; {@code hiddenSize} must be a multiple of it
 * @param intermediateSize width of the feed-forward layer
 * @param maxPositions     rows of the position-embedding table: the longest sequence
 * @param typeVocabSize    rows of the token-type (segment) embedding table
 * @param layerNormEps     epsilon added to the variance in every LayerNorm
 */
public record BertConfig(int vocabSize, int hiddenSize, int numLayers, int numHeads, int intermediateSize,
                         int maxPositions, int typeVocabSize, float layerNormEps) {

    private static final String FILE = "config.json";

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Reads {@code modelDir/config.json}; fails naming the first key that is missing or unsupported. */
    public static BertConfig read(Path modelDir) {
        JsonConfig json = JsonConfig.read(modelDir.resolve(FILE));
        json.requireText("model_type", "bert");
        // HF's "gelu" is the exact erf form; "gelu_new" and friends are tanh approximations.
        json.requireText("hidden_act", "gelu");
        json.requireTextOrAbsent("position_embedding_type", "absolute");
        json.requireBooleanOrAbsent("is_decoder", false);
        json.requireBooleanOrAbsent("add_cross_attention", false);
        int hiddenSize = json.requirePositiveInt("hidden_size");
        int numHeads = json.requirePositiveInt("num_attention_heads");
        if (hiddenSize % numHeads != 0) {
            throw new InvalidModelException(json.file() + ": 'hidden_size' = " + hiddenSize
                    + " is not a multiple of 'num_attention_heads' = " + numHeads);
        }
        return new BertConfig(
                json.requirePositiveInt("vocab_size"),
                hiddenSize,
                json.requirePositiveInt("num_hidden_layers"),
                numHeads,
                json.requirePositiveInt("intermediate_size"),
                json.requirePositiveInt("max_position_embeddings"),
                json.requirePositiveInt("type_vocab_size"),
                (float) json.requirePositiveNumber("layer_norm_eps"));
    }
}
