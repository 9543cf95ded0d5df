package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/** Builds the model a tokenizer.json describes. */
final class Models {
    private Models() {
    }

    static Model fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || !node.isObject()) {
            throw file.invalid("has no \"model\" object");
        }
        // Files written by old versions of HF tokenizers have no model type: HF infers it.
        String type = node.hasNonNull("type") ? node.get("type").asText()
                : node.has("merges") ? "BPE"
                : node.has("max_input_chars_per_word") ? "WordPiece"
                : node.has("vocab") && node.get("vocab").isObject() ? "WordLevel" : "?";
        return switch (type) {
            case "BPE" -> new BpeModel(node, file);
            case "WordPiece" -> new WordPieceModel(node, file);
            case "WordLevel" -> new WordLevelModel(node, file);
            default -> throw file.unsupported("model", type);
        };
    }
}
