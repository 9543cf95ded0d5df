package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Builds the pre-tokenizer a tokenizer.json describes. The simple ones are splits by a pattern. */
final class PreTokenizers {
    private PreTokenizers() {
    }

    /** Null when the file has none. */
    static PreTokenizer fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        String what = "pre-tokenizer";
        String type = file.type(node, what);
        return switch (type) {
            case "Sequence" -> {
                List<PreTokenizer> parts = file.list(node, "pretokenizers", what, PreTokenizers::fromJson);
                yield sequence(parts);
            }
            case "ByteLevel" -> ByteLevel.preTokenizer(file.bool(node, "add_prefix_space", true),
                    file.bool(node, "use_regex", true));
            case "Metaspace" -> Metaspace.fromJson(node, file);
            case "BertPreTokenizer" -> sequence(List.of(
                    splitting(SplitPattern.chars(UnicodeProps::isWhiteSpace), SplitBehavior.REMOVED),
                    splitting(SplitPattern.chars(UnicodeProps::isBertPunctuation), SplitBehavior.ISOLATED)));
            case "Split" -> {
                SplitPattern pattern = file.pattern(node, what);
                if (file.bool(node, "invert", false)) {
                    pattern = SplitPattern.invert(pattern);
                }
                yield splitting(pattern, SplitBehavior.fromJson(file.text(node, "behavior", what), file));
            }
            case "Whitespace" -> splitting(SplitPattern.invert(SplitPattern.regex("\\w+|[^\\w\\s]+")),
                    SplitBehavior.REMOVED);
            case "WhitespaceSplit" -> splitting(SplitPattern.chars(UnicodeProps::isWhiteSpace), SplitBehavior.REMOVED);
            case "Digits" -> splitting(SplitPattern.chars(UnicodeProps::isNumeric),
                    file.bool(node, "individual_digits", false) ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS);
            case "Punctuation" -> splitting(SplitPattern.chars(UnicodeProps::isBertPunctuation),
                    SplitBehavior.fromJson(file.textOr(node, "behavior", "Isolated"), file));
            default -> throw file.unsupported(what, type);
        };
    }

    static PreTokenizer splitting(SplitPattern pattern, SplitBehavior behavior) {
        return piece -> piece.split(pattern, behavior);
    }

    /** Each pre-tokenizer splits every piece the previous one made; empty pieces are dropped. */
    static PreTokenizer sequence(List<PreTokenizer> parts) {
        return piece -> {
            List<NormalizedString> pieces = List.of(piece);
            for (PreTokenizer part : parts) {
                List<NormalizedString> next = new ArrayList<>();
                for (NormalizedString p : pieces) {
                    for (NormalizedString q : part.split(p)) {
                        if (!q.isEmpty()) {
                            next.add(q);
                        }
                    }
                }
                pieces = next;
            }
            return pieces;
        };
    }
}
