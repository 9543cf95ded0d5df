package io.lpu4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** lpu4j against Hugging Face's own tokenizers on the real tokenizer files of the shared data. */
class HuggingFaceAgreementTest {
    private static final int STRINGS = 5000;
    private static final int RANDOM_ID_SEQUENCES = 1000;

    @ParameterizedTest
    @ValueSource(strings = {"tokenizers/llama2", "tokenizers/gpt2", "models/stories260K", "models/all-MiniLM-L6-v2"})
    void agreesWithHuggingFace(String dir) throws Exception {
        Path json = SharedData.path(dir).resolve("tokenizer.json");
        Tokenizer ours = Tokenizer.fromFile(json).withoutTruncationAndPadding();
        OracleComparison comparison = new OracleComparison(dir);
        try (HuggingFaceTokenizer hf = OracleComparison.oracle(json)) {
            comparison.compareTexts(ours, hf, TestStrings.generate(20_260_101L, STRINGS));
            comparison.compareTexts(ours, hf, longTexts());
            comparison.compareRandomIds(ours, hf, 7, RANDOM_ID_SEQUENCES);
        }
        comparison.assertAgreement();
    }

    /** all-MiniLM-L6-v2's file truncates and pads to 128: HF set to the same must give the same ids and mask. */
    @Test
    void truncatesAndPadsAsTheFileSays() throws Exception {
        Path json = SharedData.path("models/all-MiniLM-L6-v2/tokenizer.json");
        Tokenizer ours = Tokenizer.fromFile(json);
        List<String> texts = new ArrayList<>(TestStrings.generate(5, 300));
        texts.add("word ".repeat(300));
        int checked = 0;
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(true)
                .optTruncation(true).optMaxLength(128).optPadToMaxLength().build()) {
            for (String text : texts) {
                Encoding mine = ours.encodeWithOffsets(text, true);
                ai.djl.huggingface.tokenizers.Encoding theirs = hf.encode(text);
                assertArrayEquals(theirs.getIds(), Arrays.stream(mine.ids()).asLongStream().toArray(), text);
                assertArrayEquals(theirs.getAttentionMask(),
                        Arrays.stream(mine.attentionMask()).asLongStream().toArray(), text);
                checked++;
            }
        }
        System.out.printf("models/all-MiniLM-L6-v2 with the file's truncation and padding: %d strings agree%n", checked);
    }

    /** Whole documents: the stories text ten times, and 400 test strings joined into one. */
    private static List<String> longTexts() throws Exception {
        String stories = Files.readString(SharedData.path("text/stories_eval.txt"));
        return List.of(stories.repeat(10), String.join(" ", TestStrings.generate(31, 400)));
    }
}
