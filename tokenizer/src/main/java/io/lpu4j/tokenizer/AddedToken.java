package io.lpu4j.tokenizer;

/** An entry of tokenizer.json's "added_tokens": matched in the text before the model runs. */
record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip, boolean normalized,
                  boolean special) {
}
