package io.lpu4j.bench.experimental;

import io.lpu4j.bench.kernel.BenchData;
import io.lpu4j.bench.kernel.Forks;
import io.lpu4j.bench.kernel.RowShare;
import io.lpu4j.bench.kernel.Shape;
import io.lpu4j.engine.kernel.KernelScratch;
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
 * EXPERIMENTAL: the FP8 per-channel decode matrix-vector product, the engine's kernel against
 * {@link ShiftDecodeFp8Matrix}, on the same bytes and in the same run; otherwise exactly
 * {@code MatVecBenchmark} (copies cycled from DRAM, or {@code weightsMiB = 0} for one cached copy).
 * Setup checks that both give the same bits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = Forks.VECTOR_MODULE)
public class ShiftDecodeBenchmark {
    /** The engine's {@code Fp8Matrix}, or the shift decode with 2 or 4 rows per loop. */
    @Param({"engine", "shift2", "shift4"})
    public String decoder;

    @Param("5632x2048")
    public String shape;

    @Param("256")
    public int weightsMiB;

    private Arena arena;
    private BenchData.Stored[] stored;
    private MemorySegment x;

    @Setup
    public void allocate() {
        Shape s = Shape.parse(shape);
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(42);
        int count = BenchData.copiesFor(WeightFormat.FP8_CHANNEL, s, weightsMiB);
        stored = BenchData.stored(WeightFormat.FP8_CHANNEL, s, count, arena, random);
        x = BenchData.activations(arena, 1, s.cols(), random);
        MemorySegment engine = arena.allocate((long) s.rows() * Float.BYTES);
        MemorySegment variant = arena.allocate((long) s.rows() * Float.BYTES);
        KernelScratch scratch = new KernelScratch(arena, s.cols());
        stored[0].matrix(WeightFormat.FP8_CHANNEL, s).multiply(0, s.rows(), x, 1, engine, 0, s.rows(), scratch);
        matrices(this, arena)[0].multiply(0, s.rows(), x, 1, variant, 0, s.rows(), scratch);
        if (engine.mismatch(variant) >= 0) {
            throw new IllegalStateException(decoder + " gives other bits than the engine's");
        }
    }

    @TearDown
    public void free() {
        arena.close();
    }

    /** The copies as {@code decoder}'s matrices: one set per thread, since the experiment's are not thread-safe. */
    private static WeightMatrix[] matrices(ShiftDecodeBenchmark bench, Arena arena) {
        Shape s = Shape.parse(bench.shape);
        WeightMatrix[] matrices = new WeightMatrix[bench.stored.length];
        for (int i = 0; i < matrices.length; i++) {
            BenchData.Stored m = bench.stored[i];
            matrices[i] = switch (bench.decoder) {
                case "engine" -> m.matrix(WeightFormat.FP8_CHANNEL, s);
                case "shift2" -> new ShiftDecodeFp8Matrix(m.data(), m.scales(), s.rows(), s.cols(), 2, arena);
                case "shift4" -> new ShiftDecodeFp8Matrix(m.data(), m.scales(), s.rows(), s.cols(), 4, arena);
                default -> throw new IllegalArgumentException("decoder " + bench.decoder);
            };
        }
        return matrices;
    }

    /** One thread's matrices, rows, scratch and place in the cycle of copies. */
    @State(Scope.Thread)
    public static class Worker {
        private WeightMatrix[] copies;
        private RowShare share;

        @Setup
        public void allocate(ShiftDecodeBenchmark bench, ThreadParams thread) {
            Arena arena = Arena.ofAuto();
            copies = matrices(bench, arena);
            share = new RowShare(thread, Shape.parse(bench.shape), 1, arena);
        }
    }

    @Benchmark
    @Threads(1)
    public float oneThread(Worker worker) {
        return worker.share.multiplyNext(worker.copies, x);
    }

    @Benchmark
    @Threads(2)
    public float twoThreads(Worker worker) {
        return worker.share.multiplyNext(worker.copies, x);
    }
}
