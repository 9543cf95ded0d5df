package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** SentencePiece's word marker: spaces become '▁' (and one is put in front), as pre-tokenizer and decoder. */
final class Metaspace {
    enum PrependScheme { ALWAYS, FIRST, NEVER }

    private Metaspace() {
    }

    static PreTokenizer fromJson(JsonNode node, TokenizerFile file) {
        String replacement = file.textOr(node, "replacement", "\u2581");
        PrependScheme scheme = scheme(node, file);
        boolean split = file.bool(node, "split", true);
        SplitPattern marker = SplitPattern.literal(replacement);
        SplitPattern space = SplitPattern.literal(" ");
        return piece -> {
            piece.replace(space, replacement);
            boolean prepend = switch (scheme) {
                case ALWAYS -> true;
                case FIRST -> piece.originalStart() == 0;
                case NEVER -> false;
            };
            if (prepend && !piece.get().startsWith(replacement)) {
                piece.prepend(replacement);
            }
            return split ? piece.split(marker, SplitBehavior.MERGED_WITH_NEXT) : new ArrayList<>(List.of(piece));
        };
    }

    static Decoder decoderFromJson(JsonNode node, TokenizerFile file) {
        int replacement = file.textOr(node, "replacement", "\u2581").codePointAt(0);
        boolean stripFirst = scheme(node, file) != PrependScheme.NEVER;
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                StringBuilder sb = new StringBuilder();
                boolean first = i == 0;
                tokens.get(i).codePoints().forEach(cp -> {
                    if (cp != replacement) {
                        sb.appendCodePoint(cp);
                    } else if (!(first && stripFirst)) {
                        sb.append(' ');
                    }
                });
                out.add(sb.toString());
            }
            return out;
        };
    }

    /** prepend_scheme, or the older add_prefix_space flag. */
    private static PrependScheme scheme(JsonNode node, TokenizerFile file) {
        if (node.hasNonNull("prepend_scheme")) {
            return switch (node.get("prepend_scheme").asText()) {
                case "always" -> PrependScheme.ALWAYS;
                case "first" -> PrependScheme.FIRST;
                case "never" -> PrependScheme.NEVER;
                default -> throw file.unsupported("Metaspace prepend_scheme", node.get("prepend_scheme").asText());
            };
        }
        return file.bool(node, "add_prefix_space", true) ? PrependScheme.ALWAYS : PrependScheme.NEVER;
    }
}
