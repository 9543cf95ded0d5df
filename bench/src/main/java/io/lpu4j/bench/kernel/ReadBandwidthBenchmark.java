package io.lpu4j.bench.kernel;

import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.RowLayout;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.ORDER;

/**
 * The DRAM read bandwidth a JVM thread gets with the Vector API: a plain sum of floats over a
 * buffer far larger than the caches, the yardstick the matrix-vector products are measured
 * against. Four independent accumulators, so the adds' latency never limits the loads. With two
 * threads each sums its own half; one operation is one thread's half (or the whole buffer with one
 * thread), so bytes/s = ops/s × {@code bytes / threads}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = {Forks.VECTOR_MODULE, Forks.NATIVE_ACCESS, Forks.QUIET_COMPILE_COMMANDS, Forks.KERNELS_STANDALONE, Forks.VECTOR_HELPERS_INLINED})
public class ReadBandwidthBenchmark {
    /** Bytes per loop step: four vectors. */
    private static final int STEP = 4 * Lanes.N * Float.BYTES;

    @Param("256")
    public int sizeMiB;

    private Arena arena;
    private MemorySegment buffer;

    @Setup
    public void allocate() {
        arena = Arena.ofShared();
        buffer = buffer(arena, sizeMiB);
    }

    /** A buffer of {@code mib} MiB of random floats, aligned, that halves into whole loop steps. */
    static MemorySegment buffer(Arena arena, int mib) {
        MemorySegment buffer = BenchData.floats(arena, ((long) mib << 20) / Float.BYTES, new SplittableRandom(42));
        if (buffer.address() % RowLayout.ALIGNMENT != 0 || buffer.byteSize() % (2L * STEP) != 0) {
            throw new IllegalStateException("buffer must be aligned and split into whole steps");
        }
        return buffer;
    }

    /** {@code bytes} rounded down to whole loop steps, the unit {@link #sum} reads. */
    static long wholeSteps(long bytes) {
        return bytes / STEP * STEP;
    }

    /**
     * Where thread {@code thread}'s part of a {@code size}-byte buffer starts (its end is the next
     * thread's start): one of equal parts, whole loop steps for the one or two threads
     * {@link #buffer} is checked for.
     */
    static long partStart(long size, int thread, int threads) {
        return size * thread / threads;
    }

    @TearDown
    public void free() {
        arena.close();
    }

    /** The byte range this thread sums. */
    @State(Scope.Thread)
    public static class Range {
        private long from;
        private long to;

        @Setup
        public void split(ReadBandwidthBenchmark bench, ThreadParams thread) {
            long size = bench.buffer.byteSize();
            from = partStart(size, thread.getThreadIndex(), thread.getThreadCount());
            to = partStart(size, thread.getThreadIndex() + 1, thread.getThreadCount());
        }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Range range) {
        return sum(buffer, range.from, range.to);
    }

    @Benchmark
    @Threads(2)
    public float twoThreads(Range range) {
        return sum(buffer, range.from, range.to);
    }

    /** The sum of the floats in bytes [from, to) of {@code s}, both whole loop steps from its start. */
    static float sum(MemorySegment s, long from, long to) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        long vector = (long) Lanes.N * Float.BYTES;
        for (long o = from; o < to; o += STEP) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, s, o, ORDER));
            a1 = a1.add(FloatVector.fromMemorySegment(F, s, o + vector, ORDER));
            a2 = a2.add(FloatVector.fromMemorySegment(F, s, o + 2 * vector, ORDER));
            a3 = a3.add(FloatVector.fromMemorySegment(F, s, o + 3 * vector, ORDER));
        }
        return a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }
}
