package io.lpu4j.tokenizer;

import java.util.List;

/** A piece of the input and, once known, its tokens (already set for added tokens). */
record Split(NormalizedString piece, List<Token> tokens) {
}
