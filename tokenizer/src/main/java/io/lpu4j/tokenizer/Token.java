package io.lpu4j.tokenizer;

/** One token a model produced: its id, its string, and its range in the piece it came from (UTF-16). */
record Token(int id, String value, int start, int end) {
}
