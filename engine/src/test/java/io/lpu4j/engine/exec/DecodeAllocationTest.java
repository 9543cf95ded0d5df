package io.lpu4j.engine.exec;

import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.generate.Sampler;
import io.lpu4j.engine.generate.SamplingSettings;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decode loop (forward pass of one token, then sampling) allocates nothing on the Java heap step
 * after step (the bound: {@link #STEPS}), on any worker. Measured with the per-thread allocation counters of com.sun.management.ThreadMXBean
 * over 64 decode steps, after a warm-up long enough for C2 to compile the kernels (interpreted
 * Vector API code boxes its vectors; compiled code does not): at least 40 rounds of 100 steps, then
 * more until a whole round passes without the JIT compiling anything (a busy CI core compiles late).
 */
class DecodeAllocationTest {
    /**
     * Decode steps measured; the bound is less than one byte per step. Anything the loop allocated
     * on every step would take at least 16 bytes per step; what the bound lets pass is a single
     * object over the whole run (56 bytes, in 2 of about 30 runs of this test since 2026-11-28, on the
     * caller of the first format: a one-off, not yet traced).
     */
    private static final int STEPS = 64;

    @ParameterizedTest
    @EnumSource(value = WeightFormat.class, names = {"F32", "BF16", "FP8_TENSOR", "FP8_CHANNEL", "FP8_BLOCK", "INT8"})
    void decodeStepsAllocateNothing(WeightFormat format) {
        Path dir = SharedData.model("stories260K");
        ModelConfig config = ModelConfig.load(dir);
        try (Checkpoint checkpoint = Checkpoint.open(dir);
             Executor executor = Executor.load(Planner.plan(config, PlanSettings.defaults(format, 2, 512)), checkpoint)) {
            Sampler sampler = new Sampler(SamplingSettings.greedy(), config.vocabSize());
            int[] token = {config.bosTokenId()};
            // rounds of 100 steps until the JIT is quiet for a whole round (40 rounds at least, 400 at most)
            int rounds = AllocationMeter.warmUp(() -> decode(executor, sampler, token, 0, 100), 40, 400);
            System.out.printf("%s: warmed up for %d rounds of 100 steps%n", format, rounds);
            long[] allocated = AllocationMeter.allocatedDuring(executor, () -> decode(executor, sampler, token, 100, STEPS));
            for (int i = 0; i < allocated.length; i++) {
                String who = AllocationMeter.who(executor, i);
                System.out.printf("%s: %s allocated %d bytes over %d decode steps%n", format, who, allocated[i], STEPS);
                assertTrue(allocated[i] < STEPS, format + ": " + who + " allocated " + allocated[i] + " bytes during "
                        + STEPS + " decode steps");
            }
        }
    }

    private static void decode(Executor executor, Sampler sampler, int[] token, int start, int steps) {
        for (int pos = start; pos < start + steps; pos++) {
            executor.forward(token, 1, pos, null);
            token[0] = sampler.next(executor.logits());
        }
    }
}
