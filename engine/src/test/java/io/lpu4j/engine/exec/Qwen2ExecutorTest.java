package io.lpu4j.engine.exec;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.TestModels;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor on a test-made Qwen2-style model: biases, GQA, tied embeddings, odd widths. */
class Qwen2ExecutorTest {
    @TempDir
    static Path dir;
    static Path model;
    static int[] tokens;

    @BeforeAll
    static void write() {
        model = TestModels.qwen2(dir.resolve("qwen2-tiny"));
        SplittableRandom random = new SplittableRandom(5);
        tokens = new int[50];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = random.nextInt(300);
        }
    }

    @Test
    void f32ExecutorMatchesTheReference() {
        ModelConfig config = ModelConfig.load(model);
        assertTrue(config.qkvBias() && config.tiedEmbeddings());
        try (Checkpoint checkpoint = Checkpoint.open(model);
             CausalLM reference = ReferenceTransformer.load(checkpoint, config, 64, MatrixTransform.IDENTITY);
             CausalLM executor = Executor.load(Planner.plan(config, PlanSettings.defaults(WeightFormat.F32, 2, 64)), checkpoint)) {
            List<float[]> expected = ExecutorTest.allLogits(reference, tokens);
            List<float[]> actual = ExecutorTest.allLogits(executor, tokens);
            float max = 0;
            for (int p = 0; p < expected.size(); p++) {
                for (int i = 0; i < expected.get(p).length; i++) {
                    max = Math.max(max, Math.abs(expected.get(p)[i] - actual.get(p)[i]));
                }
            }
            System.out.printf("qwen2-style F32 executor vs reference: max |logit difference| %.3g%n", max);
            assertTrue(max <= 1e-5f, "max difference " + max);
        }
    }

    @Test
    void fp8SameBitsForOneTwoAndThreeThreads() {
        ModelConfig config = ModelConfig.load(model);
        List<float[]> one = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (Checkpoint checkpoint = Checkpoint.open(model);
                 CausalLM executor = Executor.load(Planner.plan(config,
                         PlanSettings.defaults(WeightFormat.FP8_CHANNEL, threads, 64)), checkpoint)) {
                List<float[]> logits = ExecutorTest.allLogits(executor, tokens);
                if (one == null) {
                    one = logits;
                } else {
                    for (int p = 0; p < one.size(); p++) {
                        assertArrayEquals(one.get(p), logits.get(p), 0f, threads + " threads, position " + p);
                    }
                }
            }
        }
    }
}
