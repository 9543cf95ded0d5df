package io.lpu4j.tokenizer;

/** Rewrites a piece of text in place, keeping its alignment to the original (HF's normalizers). */
@FunctionalInterface
interface Normalizer {
    void normalize(NormalizedString s);
}
