package io.lpu4j.tokenizer;

/** Adds the special tokens around an encoded text (BOS, [CLS] ... [SEP]) and may adjust offsets. */
interface PostProcessor {
    EncodingBuilder process(EncodingBuilder encoding, boolean addSpecialTokens);

    /** How many tokens {@link #process} adds to a single text, which truncation leaves room for. */
    int addedTokens();
}
