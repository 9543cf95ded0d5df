package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.text.Normalizer.Form;
import java.util.List;

/** Builds the normalizer a tokenizer.json describes. The simple ones are lambdas over NormalizedString. */
final class Normalizers {
    private Normalizers() {
    }

    /** Null when the file has none. */
    static Normalizer fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        String what = "normalizer";
        String type = file.type(node, what);
        return switch (type) {
            case "Sequence" -> {
                List<Normalizer> parts = file.list(node, "normalizers", what, Normalizers::fromJson);
                yield s -> parts.forEach(p -> p.normalize(s));
            }
            case "BertNormalizer" -> new BertNormalizer(
                    file.bool(node, "clean_text", true),
                    file.bool(node, "handle_chinese_chars", true),
                    node.hasNonNull("strip_accents") ? node.get("strip_accents").asBoolean() : null,
                    file.bool(node, "lowercase", true));
            case "NFC" -> s -> UnicodeNormalization.apply(s, Form.NFC);
            case "NFD" -> s -> UnicodeNormalization.apply(s, Form.NFD);
            case "NFKC" -> s -> UnicodeNormalization.apply(s, Form.NFKC);
            case "NFKD" -> s -> UnicodeNormalization.apply(s, Form.NFKD);
            case "Lowercase" -> NormalizedString::lowercase;
            case "StripAccents" -> s -> s.filter(cp -> !UnicodeProps.isMark(cp)); // unlike BERT's, all marks
            case "Strip" -> {
                boolean left = file.bool(node, "strip_left", true);
                boolean right = file.bool(node, "strip_right", true);
                yield s -> s.strip(left, right);
            }
            case "Prepend" -> {
                String prepend = file.text(node, "prepend", what);
                yield s -> s.prepend(prepend);
            }
            case "Replace" -> {
                SplitPattern pattern = file.pattern(node, what);
                String content = file.text(node, "content", what);
                yield s -> s.replace(pattern, content);
            }
            default -> throw file.unsupported(what, type);
        };
    }
}
