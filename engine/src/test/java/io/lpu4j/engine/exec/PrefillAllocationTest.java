package io.lpu4j.engine.exec;

import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.TestModels;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A prefill of 64 tokens allocates nothing on the Java heap once compiled, for every weight format
 * run in turn in one process, with the weights filled in that process (quantized here, as on a first
 * run before the shard cache holds them): a test-made model of 512-wide rows (two layers, 1408-wide
 * MLP, 1024-token vocabulary) in five formats, then stories260K (64-wide rows) in F32.
 *
 * <p>Why, three faults this caught: (1) the quantizer's scratch from a confined arena put a second
 * kind of memory session into the profile of the segment access checks every kernel shares, and C2
 * compiled the prefill tiles with their vectors boxed (this model's FP8 prefill: 342 MB per prefill,
 * 8× slower; SmolLM2-135M: 13 GB per 128-token prefill, 80 against 877 tok/s); every arena is
 * shared now. (2) FP8_BLOCK first (its blocks take other tiles), then FP8_CHANNEL: the tiles were
 * first compiled from a profile that had not seen their later paths, and recompiled boxed (684 MB
 * per prefill); (3) so were stories260K's F32 tiles (64-wide rows, 15 MB per 64 tokens). For (2) and
 * (3) {@link KernelWarmUp} now runs prefill products of every path before the first token (of a
 * quantized format: a process running stories260K in F32 alone still allocates). In a JVM of its own
 * (engine/pom.xml): what it checks depends on what the process ran before; FP8_BLOCK comes first on
 * purpose.
 */
class PrefillAllocationTest {
    private static final int TOKENS = 64;

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void write() {
        model = TestModels.qwen2(dir.resolve("qwen2-512"), 32, 8, 1408, 2, 1024);
    }

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of("qwen2-512", WeightFormat.FP8_BLOCK), Arguments.of("qwen2-512", WeightFormat.FP8_CHANNEL),
                Arguments.of("qwen2-512", WeightFormat.INT8), Arguments.of("qwen2-512", WeightFormat.BF16),
                Arguments.of("qwen2-512", WeightFormat.F32), Arguments.of("stories260K", WeightFormat.F32));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void prefillAllocatesNothing(String name, WeightFormat format) {
        Path path = name.equals("stories260K") ? SharedData.model(name) : model;
        ModelConfig config = ModelConfig.load(path);
        int[] prompt = new int[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            prompt[i] = 3 + (i * 37) % (config.vocabSize() - 3);
        }
        try (Checkpoint checkpoint = Checkpoint.open(path);
             Executor executor = Executor.load(Planner.plan(config, PlanSettings.defaults(format, 2, 2 * TOKENS)), checkpoint)) {
            // rounds of 10 prefills until the JIT is quiet for a whole round (20 rounds at least, 200 at most)
            int rounds = AllocationMeter.warmUp(() -> {
                for (int i = 0; i < 10; i++) {
                    executor.forward(prompt, TOKENS, 0, null);
                }
            }, 20, 200);
            System.out.printf("%s %s: warmed up for %d rounds of 10 prefills%n", name, format, rounds);
            long[] allocated = AllocationMeter.allocatedDuring(executor, () -> executor.forward(prompt, TOKENS, 0, null));
            for (int i = 0; i < allocated.length; i++) {
                String who = AllocationMeter.who(executor, i);
                System.out.printf("%s %s: %s allocated %d bytes over a prefill of %d tokens%n", name, format, who,
                        allocated[i], TOKENS);
                assertEquals(0, allocated[i], name + " " + format + ": " + who + " allocated during prefill");
            }
        }
    }
}
