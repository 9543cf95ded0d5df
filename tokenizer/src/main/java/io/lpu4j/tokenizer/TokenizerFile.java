package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The tokenizer file being read: names it in every error, and reads its fields strictly. */
record TokenizerFile(String name) {

    InvalidTokenizerException unsupported(String what, String type) {
        return new InvalidTokenizerException(name + ": " + what + " type '" + type + "' is not supported");
    }

    InvalidTokenizerException invalid(String message) {
        return new InvalidTokenizerException(name + ": " + message);
    }

    /** The "type" of a component object, e.g. the normalizer's. */
    String type(JsonNode node, String what) {
        JsonNode t = node.get("type");
        if (t == null || !t.isTextual()) {
            throw invalid(what + " has no \"type\"");
        }
        return t.asText();
    }

    /** The components listed in an array field, e.g. a Sequence's "normalizers", each read by {@code read}. */
    <T> List<T> list(JsonNode node, String field, String what, BiFunction<JsonNode, TokenizerFile, T> read) {
        List<T> out = new ArrayList<>();
        for (JsonNode child : required(node, field, what)) {
            out.add(read.apply(child, this));
        }
        return out;
    }

    JsonNode required(JsonNode node, String field, String what) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw invalid(what + " has no \"" + field + "\"");
        }
        return v;
    }

    String text(JsonNode node, String field, String what) {
        JsonNode v = required(node, field, what);
        if (!v.isTextual()) {
            throw invalid(what + ": \"" + field + "\" should be a string");
        }
        return v.asText();
    }

    String textOr(JsonNode node, String field, String fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    int integer(JsonNode node, String field, int fallback) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? fallback : v.asInt();
    }

    /** A pattern field: {"String": "..."} or {"Regex": "..."}. */
    SplitPattern pattern(JsonNode node, String what) {
        JsonNode p = required(node, "pattern", what);
        if (p.has("String")) {
            return SplitPattern.literal(p.get("String").asText());
        }
        if (p.has("Regex")) {
            try {
                return SplitPattern.regex(p.get("Regex").asText());
            } catch (java.util.regex.PatternSyntaxException e) {
                throw invalid(what + ": regex " + p.get("Regex") + " does not compile: " + e.getDescription());
            }
        }
        throw invalid(what + ": pattern should be {\"String\": ...} or {\"Regex\": ...}");
    }
}
