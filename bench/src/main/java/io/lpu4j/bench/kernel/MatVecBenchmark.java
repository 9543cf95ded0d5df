package io.lpu4j.bench.kernel;

import io.lpu4j.engine.exec.KernelWarmUp;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.engine.plan.WeightFormat;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The decode matrix-vector product (one token) per weight format, paired with the plain read it is
 * judged against. A decode step reads every weight once from DRAM, so the benchmark must too: it
 * cycles through as many distinct copies of the matrix as make {@code weightsMiB} MiB in every
 * format (far beyond the 32 MB L3), each thread moving to the next copy after each product. After
 * each product the thread sums as many bytes of a buffer as large as all the copies (the next slab
 * of its part, with {@link ReadBandwidthBenchmark}'s loop); the two parts are timed apart and their
 * bytes and nanoseconds are JMH auxiliary counters, so every iteration yields both rates, measured
 * within the same half second.
 *
 * <p>Why pair them: the shared machine's memory changes speed within minutes (two-thread plain sums
 * of 36–50 or 67–93 GB/s in one 25-minute run), so a product measured in one stretch and a
 * bandwidth measured in another compared two different machines. Paired, a change of the memory's
 * speed moves both parts of an iteration and their ratio stays.
 *
 * <p>{@code weightsMiB = 0} keeps one copy, which stays in cache when small, and reads nothing
 * else: what the kernel computes when memory is not the limit (JMH's score, products per second).
 *
 * <p>One operation is one thread's share of one product (see {@link RowShare}) and its paired read.
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

    /** MiB of weight copies cycled through, and the size of the buffer read beside them (0: one copy, no read). */
    @Param("256")
    public int weightsMiB;

    private Arena arena;
    private WeightMatrix[] copies;
    private MemorySegment x;
    /** The plain read's buffer, null when {@code weightsMiB = 0}. */
    private MemorySegment buffer;

    @Setup
    public void allocate() {
        Shape s = Shape.parse(shape);
        arena = Arena.ofShared();
        KernelWarmUp.run(format.linearStorage(), arena); // as the engine does before the first token
        SplittableRandom random = new SplittableRandom(42);
        copies = BenchData.matrices(format, s, BenchData.copiesFor(format, s, weightsMiB), arena, random);
        x = BenchData.activations(arena, 1, s.cols(), random);
        buffer = weightsMiB == 0 ? null : ReadBandwidthBenchmark.buffer(arena, weightsMiB);
    }

    @TearDown
    public void free() {
        arena.close();
    }

    /**
     * One thread's rows, slabs and place in the cycles, and the bytes and nanoseconds of each part
     * over the iteration (public fields are JMH's auxiliary counters: summed over the threads, reset
     * every iteration).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Worker {
        public long productBytes;
        public long productNanos;
        public long sumBytes;
        public long sumNanos;

        private RowShare share;
        private long shareBytes;
        private long slab;
        private long from;
        private long to;
        private long next;

        @Setup(Level.Trial)
        public void allocate(MatVecBenchmark bench, ThreadParams thread) {
            Shape s = Shape.parse(bench.shape);
            share = new RowShare(thread, s, 1, Arena.ofAuto());
            shareBytes = BenchData.matrixBytes(bench.format, s) * share.rows() / s.rows();
            if (bench.buffer != null) {
                slab = ReadBandwidthBenchmark.wholeSteps(shareBytes);
                long size = bench.buffer.byteSize();
                from = ReadBandwidthBenchmark.partStart(size, thread.getThreadIndex(), thread.getThreadCount());
                to = ReadBandwidthBenchmark.partStart(size, thread.getThreadIndex() + 1, thread.getThreadCount());
                next = from;
            }
        }

        @Setup(Level.Iteration)
        public void reset() {
            productBytes = productNanos = sumBytes = sumNanos = 0;
        }

        float multiplyThenRead(WeightMatrix[] copies, MemorySegment x, MemorySegment buffer) {
            if (buffer == null) {
                return share.multiplyNext(copies, x);
            }
            long start = System.nanoTime();
            float product = share.multiplyNext(copies, x);
            long multiplied = System.nanoTime();
            if (next + slab > to) {
                next = from;
            }
            float sum = ReadBandwidthBenchmark.sum(buffer, next, next + slab);
            long summed = System.nanoTime();
            next += slab;
            productBytes += shareBytes;
            productNanos += multiplied - start;
            sumBytes += slab;
            sumNanos += summed - multiplied;
            return product + sum;
        }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Worker worker) {
        return worker.multiplyThenRead(copies, x, buffer);
    }

    @Benchmark
    @Threads(2)
    public float twoThreads(Worker worker) {
        return worker.multiplyThenRead(copies, x, buffer);
    }
}
