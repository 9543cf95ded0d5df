package io.lpu4j.engine.plan;

import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.JsonConfig;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.ExpectedTensors.Tensor;
import io.lpu4j.engine.plan.StepPlan.SplitUnit;
import io.lpu4j.engine.plan.StepPlan.StepKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.lpu4j.engine.plan.PublishedConfigs.LLAMA_3_2_1B;
import static io.lpu4j.engine.plan.PublishedConfigs.LLAMA_3_8B;
import static io.lpu4j.engine.plan.PublishedConfigs.QWEN2_5_0_5B;
import static io.lpu4j.engine.plan.PublishedConfigs.TINYLLAMA_1_1B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner on the published shapes of real models (config only: no weights are needed to plan). */
class PlannerTest {
    static final long BUDGET = PlanSettings.DEFAULT_SHARD_BYTES;

    @TempDir
    static Path dir;

    record Case(PublishedConfigs model, WeightFormat format, boolean quantizeEmbeddings) {
        PlanSettings settings() {
            PlanSettings s = PlanSettings.defaults(format, 4, 4096);
            return new PlanSettings(format, BUDGET, s.threads(), s.contextLength(), s.maxBatch(), quantizeEmbeddings,
                    s.blockSize());
        }

        @Override
        public String toString() {
            return model.title + " " + format.flag() + (quantizeEmbeddings ? " +quantized embeddings" : "");
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case(TINYLLAMA_1_1B, WeightFormat.FP8_CHANNEL, false),
                new Case(TINYLLAMA_1_1B, WeightFormat.BF16, false),
                new Case(TINYLLAMA_1_1B, WeightFormat.INT8, false),
                new Case(LLAMA_3_2_1B, WeightFormat.FP8_CHANNEL, false),
                new Case(LLAMA_3_2_1B, WeightFormat.FP8_TENSOR, true),
                new Case(LLAMA_3_8B, WeightFormat.FP8_CHANNEL, false),
                new Case(LLAMA_3_8B, WeightFormat.FP8_BLOCK, true),
                new Case(LLAMA_3_8B, WeightFormat.BF16, false),
                new Case(QWEN2_5_0_5B, WeightFormat.FP8_BLOCK, false));
    }

    static Plan plan(Case c) {
        return Planner.plan(c.model().load(dir), c.settings());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shardsHoldEveryRowOnceInExecutionOrderWithinTheBudget(Case c) {
        Plan plan = plan(c);
        List<Tensor> expected = ExpectedTensors.of(plan.config(), plan.settings());
        long padding = PlanInvariants.checkAll(plan, expected);
        long payload = plan.weightBytes() - padding;
        // Greedy packing wastes at most a row per shard, so the count is the least the bytes allow.
        assertEquals(Math.ceilDiv(plan.weightBytes(), BUDGET), plan.shards().size());
        System.out.printf("%-40s %3d shards, %,15d bytes (%,d values and scales + %,d padding)%n",
                c, plan.shards().size(), plan.weightBytes(), payload, padding);
    }

    @Test
    void llama3With8BParametersInFp8NeedsForty230MbShards() {
        Plan plan = plan(new Case(LLAMA_3_8B, WeightFormat.FP8_CHANNEL, false));
        // Per layer: q and o 4096×4096, k and v 1024×4096, gate, up and down 14336×4096 → 218,103,808
        // one-byte codes and 43,008 rows of F32 scales. The 8B in the name also counts the embedding
        // and lm_head (128256×4096 each, 1.05e9 parameters together), which stay BF16.
        long linear = 32L * 218_103_808;
        long scales = 32L * 43_008 * 4;
        long vocab = 2L * 128_256 * 4096 * 2;
        long norms = (2L * 32 + 1) * 4096 * 4;
        List<Tensor> expected = ExpectedTensors.of(plan.config(), plan.settings());
        assertEquals(linear + scales + vocab + norms, ExpectedTensors.payloadBytes(expected, 128));

        long padding = PlanInvariants.checkLayoutAndBytes(plan, expected);
        assertEquals(linear + scales + vocab + norms, plan.weightBytes() - padding);
        assertTrue(padding < 64L * 4 * plan.shards().size(), "padding " + padding);
        assertEquals(40, plan.shards().size());
        System.out.printf("Llama-3-8B fp8: %,d bytes of FP8 linear weights + %,d of scales + %,d of BF16 "
                        + "embedding and lm_head + %,d of norms = %,d bytes → %d shards of ≤ %,d bytes%n",
                linear, scales, vocab, norms, plan.weightBytes(), plan.shards().size(), BUDGET);
    }

    @Test
    void oversizedEmbeddingsAreSplitAcrossShards() {
        // 128256 × 4096 in FP8 is 525 MB: more than two 230 MB shards.
        Plan fp8 = plan(new Case(LLAMA_3_8B, WeightFormat.FP8_BLOCK, true));
        assertEquals(3, fp8.placements("model.embed_tokens.weight").size());
        assertTrue(fp8.placements("lm_head.weight").size() >= 3, "lm_head starts in a partly filled shard");
        // In BF16 it is 1.05 GB: five shards.
        Plan bf16 = plan(new Case(LLAMA_3_8B, WeightFormat.FP8_CHANNEL, false));
        assertEquals(5, bf16.placements("model.embed_tokens.weight").size());
        assertTrue(bf16.placements("model.embed_tokens.weight").stream().allMatch(TensorPlacement::isPartial));
        // A tensor that fits one shard is still cut where a shard fills up, not moved whole.
        Plan tiny = plan(new Case(TINYLLAMA_1_1B, WeightFormat.FP8_CHANNEL, false));
        assertTrue(tiny.shards().stream().limit(tiny.shards().size() - 1)
                .allMatch(s -> s.bytes() > BUDGET - 64 * 1024), "shards are filled to the brim");
    }

    @ParameterizedTest
    @EnumSource(WeightFormat.class)
    void aTinyBudgetOnStories260KGivesManyShards(WeightFormat format) {
        ModelConfig c = ModelConfig.load(SharedData.model("stories260K"));
        Plan plan = Planner.plan(c, PlanSettings.defaults(format, 2, 256).withShardBudget(50_000));
        PlanInvariants.checkAll(plan, ExpectedTensors.of(c, plan.settings()));
        System.out.printf("stories260K %s, 50 KB shards: %d shards%n", format.flag(), plan.shards().size());
        assertTrue(plan.shards().size() >= 3, plan.shards().size() + " shards");
    }

    /**
     * A made-up model whose sizes are nowhere round: rows of 96 and 300 values (padded to 64 bytes),
     * a 1000-row vocabulary and a 300-row MLP whose last 128-row scale block is short.
     */
    static ModelConfig ragged() throws IOException {
        Path file = Files.createDirectories(dir.resolve("ragged")).resolve("config.json");
        Files.writeString(file, """
                {"model_type": "llama", "hidden_size": 96, "intermediate_size": 300, "num_hidden_layers": 3,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 1000,
                 "tie_word_embeddings": false}
                """);
        return ModelConfig.parse(JsonConfig.read(file), null);
    }

    /**
     * Every budget from 4 KB to 80 KB, on stories260K and on the ragged model: each either gives a
     * plan that passes every check or is refused because one row (or scale block) cannot fit.
     */
    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"F32", "FP8_CHANNEL", "FP8_BLOCK", "FP8_TENSOR"})
    void everyBudgetGivesAValidPlanOrAClearRefusal(WeightFormat format) throws IOException {
        int planned = 0;
        for (ModelConfig c : List.of(ModelConfig.load(SharedData.model("stories260K")), ragged())) {
            planned += planEveryBudget(c, format);
        }
        assertTrue(planned > 400, planned + " plans checked");
    }

    private static int planEveryBudget(ModelConfig c, WeightFormat format) {
        int planned = 0;
        for (long budget = 4096; budget <= 80_000; budget += 320) {
            for (boolean quantize : new boolean[] {false, true}) {
                PlanSettings s = new PlanSettings(format, budget, 3, 256, 16, quantize, 128);
                List<Tensor> expected = ExpectedTensors.of(c, s);
                long smallest = expected.stream().mapToLong(t -> ExpectedTensors.footprint(t.storage(),
                        Math.min(PlanInvariants.pieceUnit(t.storage(), 128), t.rows()), t.cols(), 128)).max()
                        .orElseThrow();
                if (smallest > budget) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Planner.plan(c, s));
                    assertTrue(e.getMessage().contains("shard budget of " + budget + " bytes cannot hold"),
                            e.getMessage());
                } else {
                    PlanInvariants.checkAll(Planner.plan(c, s), expected);
                    planned++;
                }
            }
        }
        return planned;
    }

    @Test
    void aBudgetTooSmallForOneRowIsRefusedByName() {
        ModelConfig tiny = TINYLLAMA_1_1B.load(dir);
        // An F32 row of 2048 columns is 8192 bytes.
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class, () -> Planner.plan(tiny,
                PlanSettings.defaults(WeightFormat.F32, 1, 2048).withShardBudget(8000)));
        assertEquals("a shard budget of 8000 bytes cannot hold one row of model.embed_tokens.weight "
                + "(F32, 2048 columns), which needs 8192 bytes", row.getMessage());
        // FP8_BLOCK cuts only at block edges: 128 rows of down_proj take 128 × 14336 code bytes and
        // 1 × 112 block scales of 4 bytes: 1,835,008 + 448.
        ModelConfig big = LLAMA_3_8B.load(dir);
        IllegalArgumentException block = assertThrows(IllegalArgumentException.class, () -> Planner.plan(big,
                PlanSettings.defaults(WeightFormat.FP8_BLOCK, 1, 2048).withShardBudget(1_000_000)));
        assertEquals("a shard budget of 1000000 bytes cannot hold 128 rows (one scale block) of "
                + "model.layers.0.mlp.down_proj.weight (FP8_BLOCK, 14336 columns), which needs 1835456 bytes",
                block.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PlanSettings.defaults(WeightFormat.F32, 1, 2048)
                .withShardBudget(4095));
    }

    @ParameterizedTest
    @EnumSource(value = PublishedConfigs.class)
    void stepsFollowTheLayersAndReadEveryPlacedTensor(PublishedConfigs model) {
        Plan plan = Planner.plan(model.load(dir), PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 3, 1024));
        ModelConfig c = plan.config();
        List<StepKind> kinds = new ArrayList<>(List.of(StepKind.EMBED));
        for (int l = 0; l < c.numLayers(); l++) {
            kinds.addAll(List.of(StepKind.QKV, StepKind.ATTENTION, StepKind.OUTPUT, StepKind.GATE_UP, StepKind.DOWN));
        }
        kinds.add(StepKind.LM_HEAD);
        assertEquals(kinds, plan.steps().stream().map(StepPlan::kind).toList());
        List<String> read = plan.steps().stream().flatMap(s -> s.tensors().stream()).distinct().toList();
        List<String> placed = ExpectedTensors.of(c, plan.settings()).stream().map(Tensor::name).toList();
        assertEquals(placed, read, "the steps read exactly the placed tensors, in placement order");
    }

    @ParameterizedTest
    @EnumSource(value = PublishedConfigs.class)
    void workerBoundsCoverEachStepOnceAndBalanceWithinOneUnit(PublishedConfigs model) {
        ModelConfig c = model.load(dir);
        for (int threads : new int[] {1, 2, 3, 4, 7, 16, 48}) {
            Plan plan = Planner.plan(c, PlanSettings.defaults(WeightFormat.FP8_CHANNEL, threads, 1024));
            for (StepPlan step : plan.steps()) {
                int total = switch (step.kind()) {
                    case EMBED -> 0;
                    case QKV -> c.numHeads() + 2 * c.numKvHeads();
                    case ATTENTION -> c.numHeads();
                    case OUTPUT, DOWN -> c.hiddenSize();
                    case GATE_UP -> c.intermediateSize();
                    case LM_HEAD -> c.vocabSize();
                };
                if (step.split() == SplitUnit.TOKENS) {
                    assertEquals(0, step.bounds().length, step.kind() + " is split by tokens at run time");
                } else {
                    checkBounds(step.bounds(), total, threads, step.split() == SplitUnit.ROWS ? 8 : 1,
                            model.title + " " + step.kind() + " L" + step.layer() + " × " + threads);
                }
            }
        }
    }

    @Test
    void balancedSharesDifferByAtMostOneUnitForAnyTotal() {
        for (int align : new int[] {1, 4, 8, 64}) {
            for (int workers = 1; workers <= 20; workers++) {
                for (int total = 1; total <= 700; total++) {
                    checkBounds(Planner.balanced(total, workers, align), total, workers, align,
                            total + " over " + workers + " in units of " + align);
                }
            }
        }
    }

    /**
     * Bounds start at 0, end at total, never fall, cut on unit edges (or at the end), and shares
     * differ by at most one unit.
     */
    static void checkBounds(int[] bounds, int total, int workers, int align, String what) {
        assertEquals(workers + 1, bounds.length, what);
        assertEquals(0, bounds[0], what);
        assertEquals(total, bounds[workers], what);
        int least = Integer.MAX_VALUE;
        int most = 0;
        for (int w = 0; w < workers; w++) {
            int share = bounds[w + 1] - bounds[w];
            assertTrue(share >= 0, what + ": worker " + w + " " + Arrays.toString(bounds));
            if (w > 0 && bounds[w] != total) {
                assertEquals(0, bounds[w] % align, what + ": cut inside a unit " + Arrays.toString(bounds));
            }
            least = Math.min(least, share);
            most = Math.max(most, share);
        }
        assertTrue(most - least <= align, what + ": unbalanced " + Arrays.toString(bounds));
    }
}
