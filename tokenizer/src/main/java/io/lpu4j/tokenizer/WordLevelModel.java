package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** One token per pre-tokenized word, or the unknown token. */
final class WordLevelModel implements Model {
    private final Vocabulary vocab;
    private final String unkToken;
    private final int unkId;

    WordLevelModel(JsonNode node, TokenizerFile file) {
        vocab = new Vocabulary(node.get("vocab"), file);
        unkToken = file.textOr(node, "unk_token", "<unk>");
        unkId = vocab.require(unkToken, "unk_token", file);
    }

    @Override
    public List<Token> tokenize(String word) {
        int id = vocab.id(word);
        return List.of(id >= 0 ? new Token(id, word, 0, word.length()) : new Token(unkId, unkToken, 0, word.length()));
    }

    @Override
    public Vocabulary vocab() {
        return vocab;
    }
}
