package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/** tokenizer.json's "truncation": at most maxLength tokens, special tokens included. */
record Truncation(int maxLength, boolean fromLeft) {

    /** Null when the file has none. */
    static Truncation fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        int max = file.integer(node, "max_length", -1);
        if (max < 0) {
            throw file.invalid("truncation has no \"max_length\"");
        }
        return new Truncation(max, "Left".equals(file.textOr(node, "direction", "Right")));
    }

    EncodingBuilder apply(EncodingBuilder encoding, int specialTokensToAdd) {
        return encoding.truncated(Math.max(0, maxLength - specialTokensToAdd), fromLeft);
    }
}
