package io.lpu4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    /** Whole documents: the stories text ten times, and 400 test strings joined into one. */
    private static List<String> longTexts() throws Exception {
        String stories = Files.readString(SharedData.path("text/stories_eval.txt"));
        return List.of(stories.repeat(10), String.join(" ", TestStrings.generate(31, 400)));
    }
}
