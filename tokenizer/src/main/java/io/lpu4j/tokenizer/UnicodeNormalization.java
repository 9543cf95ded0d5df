package io.lpu4j.tokenizer;

import java.text.Normalizer;
import java.text.Normalizer.Form;

/**
 * NFC/NFD/NFKC/NFKD with alignments. java.text.Normalizer gives the text; the alignment follows
 * HF's crate: each char's decomposition keeps the char's place (first part replaces it, the others
 * are inserted), and a composed char replaces the parts it was composed from.
 */
final class UnicodeNormalization {
    private UnicodeNormalization() {
    }

    static void apply(NormalizedString s, Form form) {
        String text = s.get();
        if (Normalizer.isNormalized(text, form)) {
            return;
        }
        boolean compatibility = form == Form.NFKC || form == Form.NFKD;
        Form decomposition = compatibility ? Form.NFKD : Form.NFD;
        int inputLength = text.codePointCount(0, text.length());
        // Each input char's own decomposition: first part replaces it, the rest are inserted.
        NormalizedString.Edits parts = new NormalizedString.Edits();
        text.codePoints().forEach(cp -> {
            int[] k = {0};
            Normalizer.normalize(Character.toString(cp), decomposition).codePoints()
                    .forEach(p -> parts.add(p, k[0]++ == 0 ? 0 : 1));
        });
        int[] out = Normalizer.normalize(text, form).codePoints().toArray();
        NormalizedString.Edits edits = matchParts(out, parts);
        if (edits == null) {
            edits = wholesale(out, inputLength);
            s.transform(edits, out.length == 0 ? inputLength : 0);
        } else {
            s.transform(edits, 0);
        }
    }

    /**
     * Gives each output char the change of the decomposed part(s) it came from: canonical reordering
     * only permutes parts, and a composed char consumes all of its own parts.
     */
    private static NormalizedString.Edits matchParts(int[] out, NormalizedString.Edits parts) {
        boolean[] used = new boolean[parts.size()];
        int next = 0;
        NormalizedString.Edits edits = new NormalizedString.Edits();
        for (int o : out) {
            while (next < used.length && used[next]) {
                next++;
            }
            int[] pieces = Normalizer.normalize(Character.toString(o), Form.NFD).codePoints().toArray();
            boolean composed = pieces.length > 1 && next < used.length && parts.cp(next) == pieces[0];
            if (!composed) {
                int j = find(parts, used, next, o);
                if (j < 0) {
                    return null;
                }
                used[j] = true;
                edits.add(o, parts.change(j));
                continue;
            }
            int change = 1 - pieces.length;
            for (int piece : pieces) {
                int k = find(parts, used, next, piece);
                if (k < 0) {
                    return null;
                }
                used[k] = true;
                change += parts.change(k);
            }
            edits.add(o, change);
        }
        for (boolean u : used) {
            if (!u) {
                return null;
            }
        }
        return edits;
    }

    private static int find(NormalizedString.Edits parts, boolean[] used, int from, int cp) {
        for (int j = from; j < used.length; j++) {
            if (!used[j] && parts.cp(j) == cp) {
                return j;
            }
        }
        return -1;
    }

    /** Fallback when parts cannot be matched: one replacement of the whole text. */
    private static NormalizedString.Edits wholesale(int[] out, int inputLength) {
        NormalizedString.Edits edits = new NormalizedString.Edits();
        for (int i = 0; i < out.length; i++) {
            edits.add(out[i], i < inputLength ? 0 : 1);
        }
        if (out.length > 0 && inputLength > out.length) {
            edits.setChange(out.length - 1, -(inputLength - out.length));
        }
        return edits;
    }
}
