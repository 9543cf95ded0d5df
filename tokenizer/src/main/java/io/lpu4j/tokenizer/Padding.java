package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

/** tokenizer.json's "padding": to a fixed length (or, for one text, its own), rounded up to a multiple. */
record Padding(int fixedLength, int multipleOf, boolean left, int padId, int padTypeId, String padToken) {

    /** Null when the file has none. */
    static Padding fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode strategy = node.get("strategy");
        int fixed = strategy != null && strategy.has("Fixed") ? strategy.get("Fixed").asInt() : -1;
        return new Padding(fixed, file.integer(node, "pad_to_multiple_of", 0),
                "Left".equals(file.textOr(node, "direction", "Right")), file.integer(node, "pad_id", 0),
                file.integer(node, "pad_type_id", 0), file.textOr(node, "pad_token", "[PAD]"));
    }

    EncodingBuilder apply(EncodingBuilder encoding) {
        int length = fixedLength >= 0 ? fixedLength : encoding.size();
        if (multipleOf > 0 && length % multipleOf > 0) {
            length += multipleOf - length % multipleOf;
        }
        if (encoding.size() >= length) {
            return encoding;
        }
        EncodingBuilder out = new EncodingBuilder();
        int pad = length - encoding.size();
        if (left) {
            addPads(out, pad);
        }
        for (int i = 0; i < encoding.size(); i++) {
            out.addFrom(encoding, i);
        }
        if (!left) {
            addPads(out, pad);
        }
        return out;
    }

    private void addPads(EncodingBuilder out, int count) {
        for (int i = 0; i < count; i++) {
            out.add(padId, padToken, 0, 0, padTypeId, true, false);
        }
    }
}
