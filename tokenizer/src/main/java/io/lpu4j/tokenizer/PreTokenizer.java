package io.lpu4j.tokenizer;

import java.util.List;

/** Splits a normalized piece into the pieces ("words") the model sees; may also rewrite them. */
@FunctionalInterface
interface PreTokenizer {
    List<NormalizedString> split(NormalizedString piece);
}
