package io.lpu4j.tokenizer;

/** UTF-8 decoding with Rust's rules, which the decoders' output must reproduce exactly. */
final class Utf8 {
    private Utf8() {
    }

    /** Rust's String::from_utf8_lossy: each maximal invalid subsequence becomes one U+FFFD. */
    static String decodeLossy(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int valid = validSequenceLength(bytes, i);
            if (valid > 0) {
                out.appendCodePoint(codePoint(bytes, i, valid));
                i += valid;
            } else {
                out.append('\uFFFD');
                i += -valid;
            }
        }
        return out.toString();
    }

    /** Rust's String::from_utf8: null unless every byte is part of a valid sequence. */
    static String decodeStrict(byte[] bytes) {
        for (int i = 0; i < bytes.length; ) {
            int valid = validSequenceLength(bytes, i);
            if (valid <= 0) {
                return null;
            }
            i += valid;
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The length of the valid sequence at {@code i}, or minus the length of the invalid bytes to skip. */
    private static int validSequenceLength(byte[] b, int i) {
        int first = b[i] & 0xFF;
        if (first < 0x80) {
            return 1;
        }
        int need;
        int lo = 0x80;
        int hi = 0xBF;
        if (first >= 0xC2 && first <= 0xDF) {
            need = 1;
        } else if (first >= 0xE0 && first <= 0xEF) {
            need = 2;
            lo = first == 0xE0 ? 0xA0 : 0x80;
            hi = first == 0xED ? 0x9F : 0xBF;
        } else if (first >= 0xF0 && first <= 0xF4) {
            need = 3;
            lo = first == 0xF0 ? 0x90 : 0x80;
            hi = first == 0xF4 ? 0x8F : 0xBF;
        } else {
            return -1;
        }
        for (int k = 1; k <= need; k++) {
            if (i + k >= b.length) {
                return -k;
            }
            int c = b[i + k] & 0xFF;
            boolean ok = k == 1 ? c >= lo && c <= hi : c >= 0x80 && c <= 0xBF;
            if (!ok) {
                return -k;
            }
        }
        return need + 1;
    }

    private static int codePoint(byte[] b, int i, int len) {
        int first = b[i] & 0xFF;
        return switch (len) {
            case 1 -> first;
            case 2 -> (first & 0x1F) << 6 | (b[i + 1] & 0x3F);
            case 3 -> (first & 0x0F) << 12 | (b[i + 1] & 0x3F) << 6 | (b[i + 2] & 0x3F);
            default -> (first & 0x07) << 18 | (b[i + 1] & 0x3F) << 12 | (b[i + 2] & 0x3F) << 6 | (b[i + 3] & 0x3F);
        };
    }
}
