package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** BERT's WordPiece: greedy longest-prefix match, later pieces carry "##"; a word that fails is one [UNK]. */
final class WordPieceModel implements Model {
    private final Vocabulary vocab;
    private final String unkToken;
    private final int unkId;
    private final String prefix;
    private final int maxInputCharsPerWord;

    WordPieceModel(JsonNode node, TokenizerFile file) {
        vocab = new Vocabulary(node.get("vocab"), file);
        unkToken = file.textOr(node, "unk_token", "[UNK]");
        unkId = vocab.require(unkToken, "unk_token", file);
        prefix = file.textOr(node, "continuing_subword_prefix", "##");
        maxInputCharsPerWord = file.integer(node, "max_input_chars_per_word", 100);
    }

    @Override
    public List<Token> tokenize(String word) {
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            return List.of(new Token(unkId, unkToken, 0, word.length()));
        }
        List<Token> tokens = new ArrayList<>();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Token found = null;
            while (start < end) {
                String sub = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
                int id = vocab.id(sub);
                if (id >= 0) {
                    found = new Token(id, sub, start, end);
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                return List.of(new Token(unkId, unkToken, 0, word.length()));
            }
            tokens.add(found);
            start = end;
        }
        return tokens;
    }

    @Override
    public Vocabulary vocab() {
        return vocab;
    }
}
