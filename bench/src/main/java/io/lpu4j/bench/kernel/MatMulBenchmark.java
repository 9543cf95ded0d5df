package io.lpu4j.bench.kernel;

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
 * The prefill matrix product: {@code tokens} activations through one weight matrix per format
 * (the tiled path: each 4-row tile decoded to F32 once, then reused for every token). Compute
 * bound, so one copy of the matrix is enough. One operation is one thread's share of the product
 * (see {@link RowShare}); FLOP/s = ops/s × 2·rows·cols·tokens / threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {Forks.VECTOR_MODULE, Forks.NATIVE_ACCESS, Forks.QUIET_COMPILE_COMMANDS, Forks.KERNELS_STANDALONE, Forks.VECTOR_HELPERS_INLINED})
public class MatMulBenchmark {
    @Param({"F32", "BF16", "FP8_CHANNEL", "FP8_TENSOR", "FP8_BLOCK", "INT8"})
    public WeightFormat format;

    @Param({"5632x2048", "2048x5632"})
    public String shape;

    @Param("128")
    public int tokens;

    private Arena arena;
    private WeightMatrix matrix;
    private MemorySegment x;

    @Setup
    public void allocate() {
        Shape s = Shape.parse(shape);
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(42);
        matrix = BenchData.matrix(format, s, arena, random);
        x = BenchData.activations(arena, tokens, s.cols(), random);
    }

    @TearDown
    public void free() {
        arena.close();
    }

    /** One thread's rows, scratch and output. */
    @State(Scope.Thread)
    public static class Worker {
        private RowShare share;

        @Setup
        public void allocate(MatMulBenchmark bench, ThreadParams thread) {
            share = new RowShare(thread, Shape.parse(bench.shape), bench.tokens, Arena.ofAuto());
        }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Worker worker) {
        return worker.share.multiply(matrix, x);
    }

    @Benchmark
    @Threads(2)
    public float twoThreads(Worker worker) {
        return worker.share.multiply(matrix, x);
    }
}
