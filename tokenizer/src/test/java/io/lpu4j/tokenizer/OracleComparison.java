package io.lpu4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs lpu4j and Hugging Face's own tokenizers (Rust, through DJL's JNI binding) on the same inputs and
 * collects every disagreement: ids, token strings, offsets, decoded text, and decoding of random ids.
 * Both sides run without truncation and padding (DJL would otherwise apply defaults of its own).
 */
final class OracleComparison {
    private static final int MAX_REPORTED = 8;

    private final String name;
    private final List<String> diffs = new ArrayList<>();
    private int strings;
    private int offsets;
    private int idSequences;

    OracleComparison(String name) {
        this.name = name;
    }

    static HuggingFaceTokenizer oracle(Path tokenizerJson) throws IOException {
        return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson).optAddSpecialTokens(true)
                .optTruncation(false).optPadding(false).build();
    }

    /** Encodes every text (with special tokens for two in three) and decodes the ids back. */
    void compareTexts(Tokenizer ours, HuggingFaceTokenizer hf, List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            boolean addSpecial = i % 3 != 2;
            strings++;
            Encoding mine = ours.encodeWithOffsets(text, addSpecial);
            ai.djl.huggingface.tokenizers.Encoding theirs = hf.encode(text, addSpecial, false);
            long[] theirIds = theirs.getIds();
            if (!Arrays.equals(toLong(mine.ids()), theirIds)) {
                diff(text, "ids", Arrays.toString(mine.ids()), Arrays.toString(theirIds));
                continue;
            }
            if (!mine.tokens().equals(List.of(theirs.getTokens()))) {
                diff(text, "tokens", mine.tokens(), List.of(theirs.getTokens()));
            }
            compareOffsets(text, mine, theirs.getCharTokenSpans());
            for (boolean skip : new boolean[] {true, false}) {
                String a = ours.decode(mine.ids(), skip);
                String b = hf.decode(theirIds, skip);
                if (!a.equals(b)) {
                    diff(text, "decode(skip=" + skip + ")", a, b);
                }
            }
        }
    }

    /** HF counts offsets in code points, lpu4j in UTF-16 units: converted before comparing. */
    private void compareOffsets(String text, Encoding mine, CharSpan[] spans) {
        for (int t = 0; t < spans.length; t++) {
            if (spans[t] == null) {
                continue; // HF gives no span for tokens the post-processor added
            }
            Encoding.Offset o = mine.offsets().get(t);
            int start = text.codePointCount(0, o.start());
            int end = text.codePointCount(0, o.end());
            offsets++;
            if (start != spans[t].getStart() || end != spans[t].getEnd()) {
                diff(text, "offsets of token " + t + " " + mine.tokens().get(t), "(" + start + "," + end + ")",
                        "(" + spans[t].getStart() + "," + spans[t].getEnd() + ")");
                return;
            }
        }
    }

    /** Decodes random id sequences (any ids, special or not, in any order). */
    void compareRandomIds(Tokenizer ours, HuggingFaceTokenizer hf, long seed, int count) {
        Random random = new Random(seed);
        for (int k = 0; k < count; k++) {
            int[] ids = random.ints(1 + random.nextInt(12), 0, ours.vocabSize()).toArray();
            boolean skip = random.nextBoolean();
            idSequences++;
            String a = ours.decode(ids, skip);
            String b = hf.decode(toLong(ids), skip);
            if (!a.equals(b)) {
                diff(Arrays.toString(ids), "decode of random ids (skip=" + skip + ")", a, b);
            }
        }
    }

    /** Prints the counts, then fails listing the first disagreements, if any. */
    void assertAgreement() {
        System.out.printf("%s: %d strings and %d random id sequences checked against HF tokenizers, %d offsets"
                + " compared, %d disagreements%n", name, strings, idSequences, offsets, diffs.size());
        assertTrue(diffs.isEmpty(), diffs.size() + " disagreements with HF for " + name + "; first ones:\n"
                + String.join("\n", diffs.subList(0, Math.min(MAX_REPORTED, diffs.size()))));
    }

    private void diff(String input, String what, Object ours, Object theirs) {
        diffs.add("  input " + quote(input) + ": " + what + "\n    lpu4j: " + quote(String.valueOf(ours))
                + "\n    HF:    " + quote(String.valueOf(theirs)));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || cp == 0xA0 || (cp >= 0x80 && Character.isWhitespace(cp))) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }

    private static long[] toLong(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
