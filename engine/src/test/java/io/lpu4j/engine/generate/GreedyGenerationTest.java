package io.lpu4j.engine.generate;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Greedy generation reproduces run.c's 121 tokens, from the F32 weights and from their BF16 rounding. */
class GreedyGenerationTest {

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "stories260K-bf16"})
    void reproducesRunCTokens(String modelName) {
        int[] prompt = SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "PROMPT_TOKENS");
        int[] all = SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "ALL_TOKENS");
        Path dir = SharedData.model(modelName);
        ModelConfig config = ModelConfig.load(dir);
        try (Checkpoint checkpoint = Checkpoint.open(dir);
             ReferenceTransformer model = ReferenceTransformer.load(checkpoint, config, 512, MatrixTransform.IDENTITY)) {
            int[] forwardPasses = {0};
            GenerationResult result = new Generator(model, config.eosTokenIds()).generate(prompt,
                    all.length - prompt.length, new Sampler(SamplingSettings.greedy(), config.vocabSize()),
                    id -> { }, (pos, logits) -> forwardPasses[0]++);
            int[] produced = concat(result.promptTokens(), result.tokens());
            assertArrayEquals(all, produced);
            assertEquals(120, forwardPasses[0], "the last token is sampled, never fed back");
            assertEquals(GenerationResult.StopReason.MAX_TOKENS, result.stopReason());
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
