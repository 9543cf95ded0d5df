package io.lpu4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares lpu4j with Hugging Face's own tokenizers (Rust, through DJL's JNI binding) on thousands of
 * generated strings: ids, token strings, offsets, and decoded text. Both sides run without the file's
 * truncation and padding (DJL would otherwise apply its own defaults).
 */
class HuggingFaceAgreementTest {
    private static final int STRINGS = 5000;
    private static final int RANDOM_ID_SEQUENCES = 1000;
    private static final int MAX_REPORTED = 8;

    @ParameterizedTest
    @ValueSource(strings = {"tokenizers/llama2", "tokenizers/gpt2", "models/stories260K", "models/all-MiniLM-L6-v2"})
    void agreesWithHuggingFace(String dir) throws Exception {
        Path json = SharedData.path(dir).resolve("tokenizer.json");
        Tokenizer ours = Tokenizer.fromFile(json).withoutTruncationAndPadding();
        List<String> diffs = new ArrayList<>();
        int offsetsCompared = 0;
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(json)
                .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build()) {
            List<String> texts = TestStrings.generate(20_260_101L, STRINGS);
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                boolean addSpecial = i % 3 != 2;
                Encoding mine = ours.encodeWithOffsets(text, addSpecial);
                ai.djl.huggingface.tokenizers.Encoding theirs = hf.encode(text, addSpecial, false);
                long[] theirIds = theirs.getIds();
                if (!Arrays.equals(toLong(mine.ids()), theirIds)) {
                    diffs.add(describe(text, "ids", Arrays.toString(mine.ids()), Arrays.toString(theirIds)));
                    continue;
                }
                if (!mine.tokens().equals(List.of(theirs.getTokens()))) {
                    diffs.add(describe(text, "tokens", mine.tokens(), List.of(theirs.getTokens())));
                }
                CharSpan[] spans = theirs.getCharTokenSpans();
                for (int t = 0; t < spans.length; t++) {
                    if (spans[t] == null) {
                        continue; // HF gives no span for tokens the post-processor added
                    }
                    Encoding.Offset o = mine.offsets().get(t);
                    int start = text.codePointCount(0, o.start());
                    int end = text.codePointCount(0, o.end());
                    offsetsCompared++;
                    if (start != spans[t].getStart() || end != spans[t].getEnd()) {
                        diffs.add(describe(text, "offsets of token " + t + " " + mine.tokens().get(t),
                                "(" + start + "," + end + ")", "(" + spans[t].getStart() + "," + spans[t].getEnd() + ")"));
                        break;
                    }
                }
                for (boolean skip : new boolean[] {true, false}) {
                    String a = ours.decode(mine.ids(), skip);
                    String b = hf.decode(theirIds, skip);
                    if (!a.equals(b)) {
                        diffs.add(describe(text, "decode(skip=" + skip + ")", a, b));
                    }
                }
            }
            int vocab = ours.vocabSize();
            Random random = new Random(7);
            for (int k = 0; k < RANDOM_ID_SEQUENCES; k++) {
                int[] ids = random.ints(1 + random.nextInt(12), 0, vocab).toArray();
                boolean skip = random.nextBoolean();
                String a = ours.decode(ids, skip);
                String b = hf.decode(toLong(ids), skip);
                if (!a.equals(b)) {
                    diffs.add(describe(Arrays.toString(ids), "decode of random ids (skip=" + skip + ")", a, b));
                }
            }
            System.out.printf("%s: %d strings and %d random id sequences checked against HF tokenizers, %d offsets"
                    + " compared, %d disagreements%n", dir, texts.size(), RANDOM_ID_SEQUENCES, offsetsCompared,
                    diffs.size());
        }
        assertTrue(diffs.isEmpty(), diffs.size() + " disagreements with HF for " + dir + "; first ones:\n"
                + String.join("\n", diffs.subList(0, Math.min(MAX_REPORTED, diffs.size()))));
    }

    private static String describe(String input, String what, Object ours, Object theirs) {
        return "  input " + quote(input) + ": " + what + "\n    lpu4j: " + quote(String.valueOf(ours))
                + "\n    HF:    " + quote(String.valueOf(theirs));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && Character.isWhitespace(cp)) || cp == 0xA0) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.append('"').toString();
    }

    static long[] toLong(int[] ids) {
        return Arrays.stream(ids).asLongStream().toArray();
    }
}
