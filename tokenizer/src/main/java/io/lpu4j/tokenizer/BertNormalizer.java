package io.lpu4j.tokenizer;

import java.text.Normalizer.Form;

/** BERT's text cleaning: control chars out, white space to ' ', CJK spaced out, accents and case folded. */
record BertNormalizer(boolean cleanText, boolean handleChineseChars, Boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public void normalize(NormalizedString s) {
        if (cleanText) {
            s.filter(cp -> !(cp == 0 || cp == 0xFFFD || isControl(cp)));
            s.map(cp -> isWhitespace(cp) ? ' ' : cp);
        }
        if (handleChineseChars) {
            spaceOutChinese(s);
        }
        // As in HF, strip_accents left unset follows lowercase.
        if (stripAccents != null ? stripAccents : lowercase) {
            UnicodeNormalization.apply(s, Form.NFD);
            s.filter(cp -> !UnicodeProps.isMarkNonspacing(cp));
        }
        if (lowercase) {
            s.lowercase();
        }
    }

    private static boolean isWhitespace(int cp) {
        return cp == '\t' || cp == '\n' || cp == '\r' || UnicodeProps.isWhiteSpace(cp);
    }

    private static boolean isControl(int cp) {
        return cp != '\t' && cp != '\n' && cp != '\r' && UnicodeProps.isOther(cp);
    }

    private static void spaceOutChinese(NormalizedString s) {
        String text = s.get();
        if (text.codePoints().noneMatch(BertNormalizer::isChinese)) {
            return;
        }
        NormalizedString.Edits edits = new NormalizedString.Edits();
        text.codePoints().forEach(cp -> {
            if (isChinese(cp)) {
                edits.add(' ', 0).add(cp, 1).add(' ', 1);
            } else {
                edits.add(cp, 0);
            }
        });
        s.transform(edits, 0);
    }

    /** The CJK ideograph blocks as HF lists them (including its 0x2B920 start of Extension E). */
    static boolean isChinese(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
