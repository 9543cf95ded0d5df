package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;

/** A model's token <-> id map, read from the "vocab" object of tokenizer.json. */
final class Vocabulary {
    private final Map<String, Integer> ids;
    private final String[] tokens;

    Vocabulary(JsonNode vocab, TokenizerFile file) {
        if (vocab == null || !vocab.isObject()) {
            throw file.invalid("model has no \"vocab\" object");
        }
        ids = HashMap.newHashMap(vocab.size());
        int max = -1;
        for (Map.Entry<String, JsonNode> e : vocab.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw file.invalid("model vocab entry \"" + e.getKey() + "\" should have a non-negative integer id");
            }
            ids.put(e.getKey(), e.getValue().asInt());
            max = Math.max(max, e.getValue().asInt());
        }
        tokens = new String[max + 1];
        ids.forEach((token, id) -> tokens[id] = token);
    }

    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    /** The number of entries (HF's vocab size, which ids need not fill). */
    int size() {
        return ids.size();
    }

    int idLimit() {
        return tokens.length;
    }

    /** The id of a required entry, such as the unknown token. */
    int require(String token, String role, TokenizerFile file) {
        int id = id(token);
        if (id < 0) {
            throw file.invalid(role + " '" + token + "' is not in the model vocab");
        }
        return id;
    }
}
