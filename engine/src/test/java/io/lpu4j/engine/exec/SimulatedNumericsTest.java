package io.lpu4j.engine.exec;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.engine.reference.ReferenceNumerics;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Bf16;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.Granularity;
import io.lpu4j.weights.Quantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
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
            ReferenceNumerics numerics = new ReferenceNumerics(linear(format, settings.blockSize()),
                    SimulatedNumericsTest::bf16, true);
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

    private static MatrixTransform linear(WeightFormat format, int blockSize) {
        return switch (format) {
            case BF16 -> SimulatedNumericsTest::bf16;
            case FP8_TENSOR -> quantized(CodeType.FP8_E4M3, Granularity.TENSOR, 0);
            case FP8_CHANNEL -> quantized(CodeType.FP8_E4M3, Granularity.CHANNEL, 0);
            case FP8_BLOCK -> quantized(CodeType.FP8_E4M3, Granularity.BLOCK, blockSize);
            case INT8 -> quantized(CodeType.INT8, Granularity.CHANNEL, 0);
            case F32 -> MatrixTransform.IDENTITY;
        };
    }

    private static MatrixTransform quantized(CodeType code, Granularity granularity, int blockSize) {
        return (name, values, rows, cols) -> {
            try (Arena arena = Arena.ofConfined()) {
                return Quantizer.quantize(name, values, rows, cols, code, granularity, blockSize, arena).dequantize();
            }
        };
    }

    private static float[] bf16(String name, float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Bf16.toFloat(Bf16.fromFloat(values[i]));
        }
        return out;
    }
}
