package io.lpu4j.bench.synth;

import java.nio.file.Path;

/** Whether a synthetic model directory gets a tokenizer, and from where or why not. */
public sealed interface TokenizerSource {

    /** Copy tokenizer.json and tokenizer_config.json from {@code dir}. */
    record CopyFrom(Path dir) implements TokenizerSource {
    }

    /** Write none; {@code reason} is reported to the user. */
    record None(String reason) implements TokenizerSource {
    }
}
