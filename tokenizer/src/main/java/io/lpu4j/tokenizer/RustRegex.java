package io.lpu4j.tokenizer;

import java.util.regex.Pattern;

/** Compiles the regular expressions of tokenizer files so they match as Oniguruma's do in HF. */
final class RustRegex {
    private RustRegex() {
    }

    /**
     * Oniguruma's \s, \w, \d and case folding are Unicode-aware; Java's are ASCII-only unless
     * UNICODE_CHARACTER_CLASS is set (then \s is exactly the White_Space property, as in Oniguruma).
     */
    static Pattern compile(String regex) {
        return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
    }
}
