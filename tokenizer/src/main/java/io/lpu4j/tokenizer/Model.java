package io.lpu4j.tokenizer;

import java.util.List;

/** Turns one pre-tokenized piece into tokens (BPE, WordPiece, WordLevel). */
interface Model {
    List<Token> tokenize(String piece);

    Vocabulary vocab();
}
