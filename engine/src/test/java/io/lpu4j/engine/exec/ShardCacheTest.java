package io.lpu4j.engine.exec;

import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardCacheTest {
    static final Path STORIES = SharedData.model("stories260K");

    @Test
    void secondStartMapsTheSameShardsAndGivesTheSameBits(@TempDir Path root) throws IOException {
        ShardCache cache = new ShardCache(root);
        ModelConfig config = ModelConfig.load(STORIES);
        Plan plan = Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 2, 128).withShardBudget(100_000));
        List<float[]> cold;
        try (Checkpoint checkpoint = Checkpoint.open(STORIES); Executor executor = Executor.load(plan, checkpoint, cache)) {
            assertFalse(executor.shardsFromCache());
            cold = ExecutorTest.allLogits(executor, tokens());
        }
        try (var entries = Files.list(root)) {
            assertEquals(1, entries.count(), "one entry for one plan and model");
        }
        try (Checkpoint checkpoint = Checkpoint.open(STORIES); Executor executor = Executor.load(plan, checkpoint, cache)) {
            assertTrue(executor.shardsFromCache());
            List<float[]> warm = ExecutorTest.allLogits(executor, tokens());
            for (int p = 0; p < cold.size(); p++) {
                assertArrayEquals(cold.get(p), warm.get(p), 0f);
            }
        }
    }

    @Test
    void anotherPlanOrFormatIsAnotherEntry() {
        ModelConfig config = ModelConfig.load(STORIES);
        try (Checkpoint checkpoint = Checkpoint.open(STORIES)) {
            String channel = ShardCache.key(Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 2, 128)), checkpoint);
            String block = ShardCache.key(Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_BLOCK, 2, 128)), checkpoint);
            String small = ShardCache.key(Planner.plan(config,
                    PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 2, 128).withShardBudget(50_000)), checkpoint);
            String otherThreads = ShardCache.key(Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 3, 64)), checkpoint);
            assertNotEquals(channel, block);
            assertNotEquals(channel, small);
            assertEquals(channel, otherThreads, "threads and context do not change the shards");
        }
        try (Checkpoint other = Checkpoint.open(SharedData.model("stories260K-bf16"));
             Checkpoint checkpoint = Checkpoint.open(STORIES)) {
            Plan plan = Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 2, 128));
            assertNotEquals(ShardCache.key(plan, checkpoint), ShardCache.key(plan, other), "other weights, other entry");
        }
    }

    @Test
    void aDamagedEntryIsRebuilt(@TempDir Path root) throws IOException {
        ShardCache cache = new ShardCache(root);
        ModelConfig config = ModelConfig.load(STORIES);
        Plan plan = Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_BLOCK, 1, 64));
        try (Checkpoint checkpoint = Checkpoint.open(STORIES)) {
            Executor.load(plan, checkpoint, cache).close();
            Path entry = cache.entry(plan, checkpoint);
            Path shard = entry.resolve("shard-0000.bin");
            Files.write(shard, new byte[10]);
            try (Executor executor = Executor.load(plan, checkpoint, cache)) {
                assertFalse(executor.shardsFromCache(), "a truncated shard file is not used");
            }
            try (Executor executor = Executor.load(plan, checkpoint, cache)) {
                assertTrue(executor.shardsFromCache(), "and the entry was rebuilt");
            }
        }
    }

    @Test
    void theLeastRecentlyUsedEntryGoesWhenTheCacheIsOverItsLimit(@TempDir Path root) {
        ModelConfig config = ModelConfig.load(STORIES);
        Plan channel = Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_CHANNEL, 2, 64));
        Plan block = Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_BLOCK, 2, 64));
        Plan f32 = Planner.plan(config, PlanSettings.defaults(WeightFormat.F32, 2, 64));
        try (Checkpoint checkpoint = Checkpoint.open(STORIES)) {
            ShardCache unlimited = new ShardCache(root, Long.MAX_VALUE);
            Executor.load(channel, checkpoint, unlimited).close();
            Executor.load(block, checkpoint, unlimited).close();
            try (Executor executor = Executor.load(channel, checkpoint, unlimited)) {
                assertTrue(executor.shardsFromCache(), "channel used again: block is now the least recently used");
            }
            // Room for the channel entry and the F32 one, not for the block entry too.
            ShardCache limited = new ShardCache(root, channel.weightBytes() + f32.weightBytes());
            Executor.load(f32, checkpoint, limited).close();
            assertTrue(Files.isDirectory(limited.entry(channel, checkpoint)), "recently used, kept");
            assertTrue(Files.isDirectory(limited.entry(f32, checkpoint)), "just stored, kept");
            assertFalse(Files.exists(limited.entry(block, checkpoint)), "least recently used, removed");
        }
    }

    private static int[] tokens() {
        return java.util.Arrays.copyOf(SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "ALL_TOKENS"), 30);
    }
}
