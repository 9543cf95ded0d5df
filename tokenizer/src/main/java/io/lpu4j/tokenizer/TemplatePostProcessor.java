package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** HF's TemplateProcessing for a single text: e.g. "<s> $A" or "[CLS] $A [SEP]". */
final class TemplatePostProcessor implements PostProcessor {

    /** The ids and strings one template special token stands for. */
    record SpecialToken(int[] ids, List<String> tokens) {
    }

    /** One element of the template: the text (special == null) or a special token. */
    private record Piece(SpecialToken special, int typeId) {
    }

    private final List<Piece> single;

    private TemplatePostProcessor(List<Piece> single) {
        this.single = single;
    }

    /** A template of special tokens and, where the list holds null, the text; all with type id 0. */
    static TemplatePostProcessor of(List<SpecialToken> tokensAndText) {
        return new TemplatePostProcessor(tokensAndText.stream().map(t -> new Piece(t, 0)).toList());
    }

    static TemplatePostProcessor fromJson(JsonNode node, TokenizerFile file) {
        String what = "TemplateProcessing";
        Map<String, SpecialToken> specials = new HashMap<>();
        JsonNode specialTokens = node.get("special_tokens");
        if (specialTokens != null && specialTokens.isObject()) {
            specialTokens.properties().forEach(e -> {
                JsonNode ids = file.required(e.getValue(), "ids", what + " special token");
                JsonNode tokens = file.required(e.getValue(), "tokens", what + " special token");
                int[] idArray = new int[ids.size()];
                List<String> tokenList = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    idArray[i] = ids.get(i).asInt();
                    tokenList.add(tokens.get(i).asText());
                }
                specials.put(e.getKey(), new SpecialToken(idArray, tokenList));
            });
        }
        List<Piece> pieces = new ArrayList<>();
        for (JsonNode p : file.required(node, "single", what)) {
            if (p.has("Sequence")) {
                pieces.add(new Piece(null, file.integer(p.get("Sequence"), "type_id", 0)));
            } else if (p.has("SpecialToken")) {
                String id = file.text(p.get("SpecialToken"), "id", what + " piece");
                SpecialToken special = specials.get(id);
                if (special == null) {
                    throw file.invalid(what + " uses special token '" + id + "' that its special_tokens lacks");
                }
                pieces.add(new Piece(special, file.integer(p.get("SpecialToken"), "type_id", 0)));
            } else {
                throw file.invalid(what + " piece " + p + " should be a Sequence or a SpecialToken");
            }
        }
        return new TemplatePostProcessor(pieces);
    }

    @Override
    public EncodingBuilder process(EncodingBuilder encoding, boolean addSpecialTokens) {
        EncodingBuilder out = new EncodingBuilder();
        for (Piece piece : single) {
            if (piece.special() == null) {
                encoding.setTypeIds(piece.typeId());
                for (int i = 0; i < encoding.size(); i++) {
                    out.addFrom(encoding, i);
                }
            } else if (addSpecialTokens) {
                SpecialToken s = piece.special();
                for (int i = 0; i < s.ids().length; i++) {
                    out.add(s.ids()[i], s.tokens().get(i), 0, 0, piece.typeId(), true, true);
                }
            }
        }
        return out;
    }

    @Override
    public int addedTokens() {
        return single.stream().filter(p -> p.special() != null).mapToInt(p -> p.special().ids().length).sum();
    }
}
