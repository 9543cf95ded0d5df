package io.lpu4j.engine.exec;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static executor on the real stories260K weights. */
class ExecutorTest {
    static final Path MODEL = SharedData.model("stories260K");
    static ModelConfig config;
    static Checkpoint checkpoint;
    static int[] tokens;

    @BeforeAll
    static void open() {
        config = ModelConfig.load(MODEL);
        checkpoint = Checkpoint.open(MODEL);
        tokens = Arrays.copyOf(SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "ALL_TOKENS"), 120);
    }

    @AfterAll
    static void close() {
        checkpoint.close();
    }

    static Executor executor(WeightFormat format, int threads, long shardBytes) {
        PlanSettings settings = PlanSettings.defaults(format, threads, 256).withShardBudget(shardBytes);
        return Executor.load(Planner.plan(config, settings), checkpoint);
    }

    static List<float[]> allLogits(io.lpu4j.engine.CausalLM model) {
        return allLogits(model, tokens);
    }

    /** Logits of every position, fed one token at a time. */
    static List<float[]> allLogits(io.lpu4j.engine.CausalLM model, int[] tokens) {
        List<float[]> rows = new ArrayList<>();
        model.forward(tokens, tokens.length, 0, (pos, logits) -> rows.add(logits.clone()));
        return rows;
    }

    @Test
    void f32ExecutorMatchesTheReference() {
        List<float[]> expected;
        try (ReferenceTransformer reference = ReferenceTransformer.load(checkpoint, config, 256, MatrixTransform.IDENTITY)) {
            expected = allLogits(reference);
        }
        try (Executor executor = executor(WeightFormat.F32, 2, PlanSettings.DEFAULT_SHARD_BYTES)) {
            List<float[]> actual = allLogits(executor);
            float max = 0;
            for (int p = 0; p < expected.size(); p++) {
                for (int i = 0; i < config.vocabSize(); i++) {
                    max = Math.max(max, Math.abs(expected.get(p)[i] - actual.get(p)[i]));
                }
            }
            System.out.printf("F32 executor vs reference: max |logit difference| over 120 positions = %.3g%n", max);
            assertTrue(max <= 1e-5f, "max difference " + max);
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class)
    void prefillGivesTheSameBitsAsOneTokenAtATime(WeightFormat format) {
        try (Executor executor = executor(format, 2, PlanSettings.DEFAULT_SHARD_BYTES)) {
            List<float[]> stepwise = allLogits(executor);
            for (int length : new int[] {1, 7, 64, 120}) {
                executor.forward(tokens, length, 0, null);
                assertArrayEquals(stepwise.get(length - 1), executor.logits(), 0f, format + " prefill of " + length);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class)
    void sameBitsForOneTwoAndThreeThreads(WeightFormat format) {
        List<float[]> one;
        try (Executor executor = executor(format, 1, PlanSettings.DEFAULT_SHARD_BYTES)) {
            one = allLogits(executor);
        }
        for (int threads : new int[] {2, 3}) {
            try (Executor executor = executor(format, threads, PlanSettings.DEFAULT_SHARD_BYTES)) {
                List<float[]> other = allLogits(executor);
                for (int p = 0; p < one.size(); p++) {
                    assertArrayEquals(one.get(p), other.get(p), 0f, format + " threads " + threads + " position " + p);
                }
            }
        }
    }

    @Test
    void timingStepsChangesNoBitAndTimesEveryStepOfEveryWorker() {
        List<float[]> untimed;
        try (Executor executor = executor(WeightFormat.FP8_CHANNEL, 2, PlanSettings.DEFAULT_SHARD_BYTES)) {
            untimed = allLogits(executor);
        }
        try (Executor executor = executor(WeightFormat.FP8_CHANNEL, 2, PlanSettings.DEFAULT_SHARD_BYTES)) {
            int steps = executor.plan().steps().size();
            StepTimes times = new StepTimes(2, steps);
            executor.timeSteps(times);
            List<float[]> timed = allLogits(executor);
            executor.timeSteps(null);
            for (int p = 0; p < untimed.size(); p++) {
                assertArrayEquals(untimed.get(p), timed.get(p), 0f, "position " + p);
            }
            for (int w = 0; w < 2; w++) {
                for (int s = 0; s < steps; s++) {
                    assertTrue(times.running(w, s) > 0, "worker " + w + " step " + s + " has no time");
                    assertTrue(times.waiting(w, s) >= 0);
                }
            }
            long total = totalRunning(times);
            allLogits(executor);
            assertEquals(total, totalRunning(times), "times were added after timing stopped");
            assertThrows(IllegalArgumentException.class, () -> executor.timeSteps(new StepTimes(3, steps)));
        }
    }

    private static long totalRunning(StepTimes times) {
        long total = 0;
        for (int w = 0; w < times.workers(); w++) {
            for (int s = 0; s < times.steps(); s++) {
                total += times.running(w, s);
            }
        }
        return total;
    }

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"F32", "FP8_CHANNEL", "FP8_BLOCK"})
    void manySmallShardsGiveTheSameBitsAsOne(WeightFormat format) {
        List<float[]> one;
        try (Executor executor = executor(format, 2, PlanSettings.DEFAULT_SHARD_BYTES)) {
            assertEquals(1, executor.plan().shards().size());
            one = allLogits(executor);
        }
        try (Executor executor = executor(format, 2, 50_000)) {
            Plan plan = executor.plan();
            System.out.printf("%s with a 50 KB budget: %d shards%n", format, plan.shards().size());
            assertTrue(plan.shards().size() > 3);
            assertTrue(plan.shards().stream().allMatch(s -> s.bytes() <= 50_000));
            List<float[]> many = allLogits(executor);
            for (int p = 0; p < one.size(); p++) {
                assertArrayEquals(one.get(p), many.get(p), 0f, format + " position " + p);
            }
        }
    }
}
