package io.lpu4j.bench.kernel;

import io.lpu4j.engine.kernel.Attention;
import io.lpu4j.engine.kernel.KernelScratch;
import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.VectorMath;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Attention over {@code positions} cached positions (head_dim 64, binary16 cache, as the engine keeps
 * it with every format but F32): widening one kv head's keys to F32 (done once per kv head and step,
 * shared by its query heads), one query head attending over the widened rows, and the softmax
 * exponentials alone. The data stays in cache between calls: this is the kernels' compute cost, not
 * the cost of streaming a long cache from DRAM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {Forks.VECTOR_MODULE, Forks.NATIVE_ACCESS, Forks.QUIET_COMPILE_COMMANDS, Forks.KERNELS_STANDALONE, Forks.VECTOR_HELPERS_INLINED})
public class AttentionBenchmark {
    private static final int HEAD_DIM = 64;

    @Param({"512", "4096"})
    public int positions;

    private MemorySegment query;
    private MemorySegment cachedKeys;
    private MemorySegment cachedValues;
    private MemorySegment keys;
    private MemorySegment values;
    private MemorySegment scores;
    private MemorySegment out;
    private KernelScratch scratch;
    private MemorySegment logits;
    private MemorySegment spill;

    @Setup
    public void allocate() {
        Arena arena = Arena.ofAuto();
        SplittableRandom random = new SplittableRandom(42);
        query = BenchData.activations(arena, 1, HEAD_DIM, random);
        cachedKeys = BenchData.halves(arena, (long) positions * HEAD_DIM, random);
        cachedValues = BenchData.halves(arena, (long) positions * HEAD_DIM, random);
        keys = arena.allocate((long) positions * HEAD_DIM * Float.BYTES, 64);
        values = arena.allocate((long) positions * HEAD_DIM * Float.BYTES, 64);
        Attention.widen(cachedKeys, cachedValues, 0, HEAD_DIM, true, positions, HEAD_DIM, keys, values);
        scores = arena.allocate((long) Lanes.padded(positions) * Float.BYTES, 64);
        out = arena.allocate((long) Lanes.padded(HEAD_DIM) * Float.BYTES, 64);
        scratch = new KernelScratch(arena, HEAD_DIM);
        logits = BenchData.floats(arena, positions, random);
        spill = arena.allocate((long) Lanes.N * Float.BYTES, 64);
    }

    /** Scores, softmax and the weighted sum of values for one query head over widened rows. */
    @Benchmark
    public float head() {
        Attention.head(query, 0, keys, values, positions, HEAD_DIM, (float) (1 / Math.sqrt(HEAD_DIM)), scores, out, 0,
                scratch);
        return out.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /** One kv head's binary16 keys and values widened to F32. */
    @Benchmark
    public float widen() {
        Attention.widen(cachedKeys, cachedValues, 0, HEAD_DIM, true, positions, HEAD_DIM, keys, values);
        return keys.getAtIndex(ValueLayout.JAVA_FLOAT, 0) + values.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /**
     * The softmax numerators in place. Each call exponentiates the previous call's output; with the
     * shift 1 (attention subtracts the largest score, here at most 1) every input stays in [-1, 1],
     * far from the kernel's clamps, so every call does the same work.
     */
    @Benchmark
    public float softmaxExp() {
        return VectorMath.expInPlace(logits, positions, 1f, spill);
    }
}
