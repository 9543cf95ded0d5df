package io.lpu4j.engine.reference;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FP32 reference against llama2.c's run.c on the real stories260K weights. */
class ReferenceTransformerTest {
    static final String TOKENS_FILE = "runc_greedy_once_upon_a_time_120.txt";
    static final float LOGIT_TOLERANCE = 1e-4f;

    @Test
    void everyLogitMatchesRunC() {
        int[] all = SharedData.goldenTokens(TOKENS_FILE, "ALL_TOKENS");
        float[] golden = SharedData.floats(SharedData.golden("stories260K", "runc_logits_120x512_f32le.bin"));
        Path dir = SharedData.model("stories260K");
        ModelConfig config = ModelConfig.load(dir);
        int vocab = config.vocabSize();
        assertEquals(120 * vocab, golden.length);
        try (Checkpoint checkpoint = Checkpoint.open(dir);
             ReferenceTransformer model = ReferenceTransformer.load(checkpoint, config, 512, MatrixTransform.IDENTITY)) {
            float[] maxDiff = {0};
            model.forward(all, 120, 0, (pos, logits) -> {
                for (int i = 0; i < vocab; i++) {
                    maxDiff[0] = Math.max(maxDiff[0], Math.abs(logits[i] - golden[pos * vocab + i]));
                }
            });
            System.out.printf("reference vs run.c: max |logit difference| over 120x%d = %.3g%n", vocab, maxDiff[0]);
            assertTrue(maxDiff[0] <= LOGIT_TOLERANCE, "max logit difference " + maxDiff[0]);
        }
    }
}
