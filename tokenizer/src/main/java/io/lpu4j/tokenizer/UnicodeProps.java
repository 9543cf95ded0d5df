package io.lpu4j.tokenizer;

/**
 * Character classes exactly as the Rust tokenizers define them. Java's own predicates differ in small
 * ways (Character.isWhitespace excludes U+00A0 but includes U+001C..U+001F), so each one the
 * tokenizers rely on is spelled out here; those HF takes from Unicode 9.0 are in {@link Unicode9}.
 */
final class UnicodeProps {
    private UnicodeProps() {
    }

    /** Rust's char::is_whitespace: the Unicode White_Space property. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** BERT's punctuation: ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or P*. */
    static boolean isBertPunctuation(int cp) {
        return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)
                || inRanges(Unicode9.PUNCTUATION, cp);
    }

    /** Mn in Unicode 9.0 (BERT's accent stripping). */
    static boolean isMarkNonspacing(int cp) {
        return inRanges(Unicode9.NONSPACING_MARK, cp);
    }

    /** M* in Unicode 9.0 (the StripAccents normalizer). */
    static boolean isMark(int cp) {
        return inRanges(Unicode9.MARK, cp);
    }

    /** Cc, Cf, Co in Unicode 9.0 (BERT's control chars). */
    static boolean isOther(int cp) {
        return inRanges(Unicode9.OTHER, cp);
    }

    /** Binary search over sorted, disjoint [first, last] pairs. */
    private static boolean inRanges(int[] ranges, int cp) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (cp > ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /** Rust's char::is_numeric: general categories Nd, Nl, No. */
    static boolean isNumeric(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }
}
