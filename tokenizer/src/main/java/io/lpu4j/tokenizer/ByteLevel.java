package io.lpu4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2's byte-level trick: every UTF-8 byte is shown as one printable char, so the BPE vocabulary
 * needs no unknown token. As pre-tokenizer (split by GPT-2's regex, then bytes to chars), decoder
 * (chars back to bytes) and post-processor (offsets without the leading 'Ġ').
 */
final class ByteLevel {
    /** GPT-2's split: contractions, letters, numbers, other symbols, and runs of white space. */
    static final String GPT2_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** byte -> char, and char -> byte (-1 when the char is no byte's). */
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[324];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
            char c = printable ? (char) b : (char) (256 + n++);
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    static PreTokenizer preTokenizer(boolean addPrefixSpace, boolean useRegex) {
        SplitPattern regex = SplitPattern.regex(GPT2_REGEX);
        return piece -> {
            if (addPrefixSpace && !piece.get().startsWith(" ")) {
                piece.prepend(" ");
            }
            List<NormalizedString> pieces = useRegex ? piece.split(regex, SplitBehavior.ISOLATED)
                    : new ArrayList<>(List.of(piece));
            pieces.forEach(ByteLevel::bytesToChars);
            return pieces;
        };
    }

    /** Rewrites each char as the chars of its UTF-8 bytes; all of them keep the char's alignment. */
    static void bytesToChars(NormalizedString piece) {
        String s = piece.get();
        NormalizedString.Edits edits = new NormalizedString.Edits();
        byte[] buf = new byte[4];
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int n = utf8(cp, buf);
            for (int k = 0; k < n; k++) {
                edits.add(BYTE_TO_CHAR[buf[k] & 0xFF], k > 0 ? 1 : 0);
            }
        }
        piece.transform(edits, 0);
    }

    /** Writes the UTF-8 bytes of {@code cp} (a lone surrogate as U+FFFD, like Java's encoder). */
    private static int utf8(int cp, byte[] buf) {
        if (cp < 0x80) {
            buf[0] = (byte) cp;
            return 1;
        }
        if (cp < 0x800) {
            buf[0] = (byte) (0xC0 | cp >> 6);
            buf[1] = (byte) (0x80 | cp & 0x3F);
            return 2;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        if (cp < 0x10000) {
            buf[0] = (byte) (0xE0 | cp >> 12);
            buf[1] = (byte) (0x80 | cp >> 6 & 0x3F);
            buf[2] = (byte) (0x80 | cp & 0x3F);
            return 3;
        }
        buf[0] = (byte) (0xF0 | cp >> 18);
        buf[1] = (byte) (0x80 | cp >> 12 & 0x3F);
        buf[2] = (byte) (0x80 | cp >> 6 & 0x3F);
        buf[3] = (byte) (0x80 | cp & 0x3F);
        return 4;
    }

    /** All tokens' chars back to bytes, then one string; a token with a char that is no byte's stays as it is. */
    static final Decoder DECODER = tokens -> {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String token : tokens) {
            byte[] mapped = new byte[token.length()];
            boolean all = true;
            for (int i = 0; i < token.length() && all; i++) {
                char c = token.charAt(i);
                all = c < CHAR_TO_BYTE.length && CHAR_TO_BYTE[c] >= 0;
                if (all) {
                    mapped[i] = (byte) CHAR_TO_BYTE[c];
                }
            }
            bytes.writeBytes(all ? mapped : token.getBytes(StandardCharsets.UTF_8));
        }
        return new ArrayList<>(List.of(Utf8.decodeLossy(bytes.toByteArray())));
    };

    /** HF's process_offsets: leading/trailing 'Ġ' or white space are left out of a token's offsets. */
    static void trimOffsets(EncodingBuilder encoding, boolean addPrefixSpace) {
        for (int i = 0; i < encoding.size(); i++) {
            String token = encoding.token(i);
            int[] cps = token.codePoints().toArray();
            int leading = 0;
            while (leading < cps.length && isSpace(cps[leading])) {
                leading++;
            }
            int trailing = 0;
            while (trailing < cps.length && isSpace(cps[cps.length - 1 - trailing])) {
                trailing++;
            }
            int start = encoding.start(i);
            int end = encoding.end(i);
            if (leading > 0) {
                boolean first = i == 0 || start == 0;
                if (first && addPrefixSpace && leading == 1) {
                    leading = 0; // keep the space the pre-tokenizer added itself
                }
                start = Math.min(start + leading, end);
            }
            if (trailing > 0 && end >= trailing) {
                end = Math.max(end - trailing, start);
            }
            encoding.setOffsets(i, start, end);
        }
    }

    private static boolean isSpace(int cp) {
        return cp == BYTE_TO_CHAR[' '] || UnicodeProps.isWhiteSpace(cp);
    }
}
