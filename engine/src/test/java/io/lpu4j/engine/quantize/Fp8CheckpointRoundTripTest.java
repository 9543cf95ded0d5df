package io.lpu4j.engine.quantize;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.exec.Executor;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;
import io.lpu4j.weights.Granularity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

/** lpu quantize's checkpoints load back to the very bits of quantizing at load time. */
class Fp8CheckpointRoundTripTest {
    static final Path STORIES = SharedData.model("stories260K");

    @ParameterizedTest
    @EnumSource(Granularity.class)
    void writtenCheckpointGivesBitIdenticalLogits(Granularity granularity, @TempDir Path dir) {
        Path out = dir.resolve("fp8");
        Fp8CheckpointWriter.write(STORIES, out, granularity, 64);
        WeightFormat format = switch (granularity) {
            case TENSOR -> WeightFormat.FP8_TENSOR;
            case CHANNEL -> WeightFormat.FP8_CHANNEL;
            case BLOCK -> WeightFormat.FP8_BLOCK;
        };
        ModelConfig written = ModelConfig.load(out);
        assertTrue(written.quantization().isQuantized());
        assertEquals(granularity == Granularity.BLOCK ? 64 : 0, written.quantization().blockSize());
        try (Checkpoint checkpoint = Checkpoint.open(out)) {
            assertEquals(DType.F8_E4M3, checkpoint.tensor("model.layers.2.mlp.down_proj.weight").dtype());
            assertEquals(DType.F32, checkpoint.tensor("model.embed_tokens.weight").dtype());
        }
        List<float[]> onTheFly = logits(STORIES, format);
        List<float[]> loaded = logits(out, format);
        for (int p = 0; p < onTheFly.size(); p++) {
            assertArrayEquals(onTheFly.get(p), loaded.get(p), 0f, granularity + " position " + p);
        }
    }

    @Test
    void refusesToQuantizeTwice(@TempDir Path dir) {
        Fp8CheckpointWriter.write(STORIES, dir.resolve("once"), Granularity.CHANNEL, 128);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> Fp8CheckpointWriter.write(dir.resolve("once"), dir.resolve("twice"), Granularity.CHANNEL, 128));
        assertTrue(e.getMessage().contains("already quantized"), e.getMessage());
    }

    private static List<float[]> logits(Path model, WeightFormat format) {
        ModelConfig config = ModelConfig.load(model);
        PlanSettings settings = new PlanSettings(format, PlanSettings.DEFAULT_SHARD_BYTES, 2, 64,
                PlanSettings.DEFAULT_MAX_BATCH, false, 64);
        int[] tokens = Arrays.copyOf(SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "ALL_TOKENS"), 40);
        List<float[]> rows = new ArrayList<>();
        try (Checkpoint checkpoint = Checkpoint.open(model);
             CausalLM executor = Executor.load(Planner.plan(config, settings), checkpoint)) {
            executor.forward(tokens, tokens.length, 0, (pos, l) -> rows.add(l.clone()));
        }
        return rows;
    }
}
