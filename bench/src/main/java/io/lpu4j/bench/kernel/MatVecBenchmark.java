package io.lpu4j.bench.kernel;

import io.lpu4j.engine.exec.KernelWarmUp;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.engine.plan.WeightFormat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The decode matrix-vector product (one token) per weight format. A decode step reads every weight
 * once from DRAM, so the benchmark must too: it cycles through as many distinct copies of the matrix
 * as make {@code weightsMiB} MiB in every format (far beyond the 32 MB L3), each thread moving to
 * the next copy after each product. {@code weightsMiB = 0} keeps one copy, which stays in cache
 * when small: that measures what the kernel computes when memory is not the limit.
 *
 * <p>One operation is one thread's share of one product (see {@link RowShare}); JMH sums the
 * threads' operations per second, so ops/s × {@code matrix bytes / threads} is the weight bytes
 * read per second by the whole team.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {Forks.VECTOR_MODULE, Forks.NATIVE_ACCESS, Forks.QUIET_COMPILE_COMMANDS, Forks.KERNELS_STANDALONE, Forks.VECTOR_HELPERS_INLINED})
public class MatVecBenchmark {
    @Param({"F32", "BF16", "FP8_CHANNEL", "FP8_TENSOR", "FP8_BLOCK", "INT8"})
    public WeightFormat format;

    @Param({"5632x2048", "2048x5632"})
    public String shape;

    @Param("256")
    public int weightsMiB;

    private Arena arena;
    private WeightMatrix[] copies;
    private MemorySegment x;

    @Setup
    public void allocate() {
        Shape s = Shape.parse(shape);
        arena = Arena.ofShared();
        KernelWarmUp.run(format.linearStorage(), arena); // as the engine does before the first token
        SplittableRandom random = new SplittableRandom(42);
        copies = BenchData.matrices(format, s, BenchData.copiesFor(format, s, weightsMiB), arena, random);
        x = BenchData.activations(arena, 1, s.cols(), random);
    }

    @TearDown
    public void free() {
        arena.close();
    }

    /** One thread's rows, scratch and place in the cycle of copies. */
    @State(Scope.Thread)
    public static class Worker {
        private RowShare share;

        @Setup
        public void allocate(MatVecBenchmark bench, ThreadParams thread) {
            share = new RowShare(thread, Shape.parse(bench.shape), 1, Arena.ofAuto());
        }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Worker worker) {
        return worker.share.multiplyNext(copies, x);
    }

    @Benchmark
    @Threads(2)
    public float twoThreads(Worker worker) {
        return worker.share.multiplyNext(copies, x);
    }
}
