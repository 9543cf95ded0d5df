package io.lpu4j.engine.exec;

import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.eval.FormatTransforms;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.engine.reference.ReferenceNumerics;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The executor's FP8 / INT8 / BF16 paths against the plain scalar reference running the same
 * numerics: weights quantized then dequantized exactly as the shards hold them, embeddings in BF16,
 * activations rounded to binary16 at the same points. What remains is summation order (vector lanes
 * vs one accumulator), which can move a value across a binary16 rounding boundary now and then.
 */
class SimulatedNumericsTest {
    /** Stated tolerance: 0.5% of the logit range (stories260K logits span about ±15). */
    static final float TOLERANCE = 0.08f;

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"BF16", "FP8_TENSOR", "FP8_CHANNEL", "FP8_BLOCK", "INT8"})
    void executorMatchesTheScalarSimulation(WeightFormat format) {
        Path dir = SharedData.model("stories260K");
        ModelConfig config = ModelConfig.load(dir);
        int[] tokens = Arrays.copyOf(SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "ALL_TOKENS"), 120);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            PlanSettings settings = PlanSettings.defaults(format, 2, 256);
            ReferenceNumerics numerics = new ReferenceNumerics(FormatTransforms.of(format, settings.blockSize()),
                    FormatTransforms.of(WeightFormat.BF16, 0), true);
            List<float[]> expected;
            try (ReferenceTransformer simulation = ReferenceTransformer.load(checkpoint, config, 256, numerics)) {
                expected = ExecutorTest.allLogits(simulation, tokens);
            }
            try (Executor executor = Executor.load(Planner.plan(config, settings), checkpoint)) {
                List<float[]> actual = ExecutorTest.allLogits(executor, tokens);
                float max = 0;
                double sum = 0;
                for (int p = 0; p < expected.size(); p++) {
                    for (int i = 0; i < config.vocabSize(); i++) {
                        float d = Math.abs(expected.get(p)[i] - actual.get(p)[i]);
                        max = Math.max(max, d);
                        sum += d;
                    }
                }
                System.out.printf("%s executor vs scalar simulation: max |logit difference| %.3g, mean %.3g%n",
                        format, max, sum / (expected.size() * config.vocabSize()));
                assertTrue(max <= TOLERANCE, format + ": max difference " + max);
            }
        }
    }
}
