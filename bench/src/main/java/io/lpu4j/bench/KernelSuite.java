package io.lpu4j.bench;

import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.List;
import java.util.Map;

/**
 * The JMH runs behind {@code bench/KERNELS.md}, in order, and how long each measures. The full suite
 * takes about twenty minutes on the 2-core machine; {@code --quick} (one shape, one fork,
 * three measured iterations) about five minutes.
 *
 * <p>Warm-up is long because the interpreter runs Vector API code thousands of times slower than C2
 * does: a kernel's first calls take milliseconds to seconds, and measured on this machine the
 * matrix kernels reach C2's steady state after 1-2 s, attention after up to 4 s. Warm-up cannot be
 * shortened in quick mode without measuring the JIT instead of the kernel.
 */
final class KernelSuite {
    /** Weights the DRAM matrix-vector products cycle through, and the size of the bandwidth buffer. */
    static final String DRAM_MIB = "256";
    /** The shape of the decode and prefill tables; quick mode measures only the first. */
    static final String[] SHAPES = {"5632x2048", "2048x5632"};
    /** An L2-resident matrix (512 KiB in F32): what a format's kernel computes when memory is not the limit. */
    static final String CACHED_SHAPE = "64x2048";
    private static final TimeValue ITERATION = TimeValue.milliseconds(500);
    private static final int MATRIX_WARMUPS = 4;
    private static final int SMALL_KERNEL_WARMUPS = 8;

    /**
     * The DRAM matrix-vector products run this many times the forks of the rest: whole forks of the
     * same code differed by up to 25 % (FP8_CHANNEL 2048×5632, one thread, six forks: 2066–2646
     * products/s, each steady within itself), so with two forks a row's median was a coin toss.
     */
    private static final int DRAM_FORK_FACTOR = 2;

    /**
     * One JMH run: the benchmarks a regex selects, some parameters fixed, its warm-up iterations and
     * how many times the usual forks it takes.
     */
    record Run(String include, Map<String, String[]> params, int warmups, int forkFactor) {
        Run(String include, Map<String, String[]> params, int warmups) {
            this(include, params, warmups, 1);
        }
    }

    /** Forks per benchmark and measured iterations. */
    record Timing(int forks, int measurements) {
        String describe() {
            return forks + (forks == 1 ? " fork" : " forks") + " per benchmark (" + forks * DRAM_FORK_FACTOR
                    + " for the matrix-vector products from DRAM); " + MATRIX_WARMUPS + " (matrix "
                    + "kernels) or " + SMALL_KERNEL_WARMUPS + " (small kernels) warm-up and " + measurements
                    + " measured iterations of " + ITERATION + " each";
        }
    }

    static final Timing FULL = new Timing(2, 5);
    static final Timing QUICK = new Timing(1, 3);

    private KernelSuite() {
    }

    /**
     * The DRAM products run paired with a plain read of as many bytes ({@code MatVecBenchmark}),
     * so that each is judged against what the memory gave in the same half second: the shared
     * machine's memory drifts within minutes (one run measured 47, 60 and 75 GB/s on two threads
     * before, between and after the two shapes, a quarter of an hour apart), and separately timed
     * bandwidth runs held a format measured in a slow stretch to a fast stretch's bandwidth.
     */
    static List<Run> runs(boolean quick) {
        String[] shapes = quick ? new String[] {SHAPES[0]} : SHAPES;
        return List.of(
                new Run("MatVecBenchmark\\.", Map.of("shape", shapes, "weightsMiB", new String[] {DRAM_MIB}),
                        MATRIX_WARMUPS, DRAM_FORK_FACTOR),
                new Run("MatVecBenchmark\\.oneThread$",
                        Map.of("shape", new String[] {CACHED_SHAPE}, "weightsMiB", new String[] {"0"}), MATRIX_WARMUPS),
                new Run("MatMulBenchmark\\.", Map.of("shape", shapes), MATRIX_WARMUPS),
                new Run("AttentionBenchmark\\.", Map.of(), SMALL_KERNEL_WARMUPS),
                new Run("LayerKernelBenchmark\\.", Map.of(), SMALL_KERNEL_WARMUPS));
    }

    static Options options(Run run, Timing timing) {
        OptionsBuilder builder = new OptionsBuilder();
        builder.include(run.include())
                .forks(timing.forks() * run.forkFactor())
                .warmupIterations(run.warmups())
                .warmupTime(ITERATION)
                .measurementIterations(timing.measurements())
                .measurementTime(ITERATION)
                .shouldFailOnError(true);
        run.params().forEach(builder::param);
        return builder.build();
    }
}
