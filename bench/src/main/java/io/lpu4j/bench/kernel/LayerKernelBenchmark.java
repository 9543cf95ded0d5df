package io.lpu4j.bench.kernel;

import io.lpu4j.engine.kernel.Activations;
import io.lpu4j.engine.kernel.RmsNorm;
import io.lpu4j.engine.kernel.Rope;
import io.lpu4j.engine.kernel.VectorMath;
import io.lpu4j.engine.model.CheckpointQuantization;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.model.RopeScaling;
import io.lpu4j.weights.Fp8E4M3;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The per-token kernels besides the matrix products and attention, at a 1.1B model's sizes
 * (TinyLlama: hidden 2048, 32 heads × 64, MLP 5632), called as the executor calls them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(jvmArgsAppend = {Forks.VECTOR_MODULE, Forks.NATIVE_ACCESS, Forks.QUIET_COMPILE_COMMANDS, Forks.KERNELS_STANDALONE, Forks.VECTOR_HELPERS_INLINED})
public class LayerKernelBenchmark {
    public static final int HIDDEN = 2048;
    public static final int HEADS = 32;
    public static final int HEAD_DIM = 64;
    public static final int MLP = 5632;
    private static final int CONTEXT = 2048;
    private static final int POSITION = 100;
    private static final ModelConfig TINY_LLAMA = new ModelConfig("llama", HIDDEN, MLP, 22, HEADS, 4, HEAD_DIM,
            32000, CONTEXT, 1e-5f, 10000, RopeScaling.NONE, false, false, false, 1, Set.of(2),
            CheckpointQuantization.NONE);

    private MemorySegment residual;
    private MemorySegment normWeight;
    private MemorySegment normalized;
    private Rope rope;
    private MemorySegment heads;
    private MemorySegment gate;
    private MemorySegment up;
    private MemorySegment halfActivations;
    private MemorySegment floatActivations;
    /** Weights already divided by their scale, in [-448, 448), and room for their E4M3 codes. */
    private MemorySegment scaledWeights;
    private MemorySegment fp8Codes;

    @Setup
    public void allocate() {
        Arena arena = Arena.ofAuto();
        SplittableRandom random = new SplittableRandom(42);
        residual = BenchData.activations(arena, 1, HIDDEN, random);
        normWeight = BenchData.floats(arena, HIDDEN, random);
        normalized = BenchData.activations(arena, 1, HIDDEN, random);
        rope = new Rope(TINY_LLAMA, CONTEXT, arena);
        heads = BenchData.floats(arena, (long) HEADS * HEAD_DIM, random);
        gate = arena.allocate((long) MLP * Float.BYTES, 64);
        up = arena.allocate((long) MLP * Float.BYTES, 64);
        for (int i = 0; i < MLP; i++) {
            // siluTimes computes g ← g·σ(g)·u in place. With u = 1/σ(g) each g is a fixed point, and
            // for g in [-2, -0.25] a stable one: repeated calls neither drift into denormals nor
            // overflow, so every call does the same work.
            float g = -0.25f - 1.75f * (BenchData.uniform(random) + 1) / 2;
            gate.setAtIndex(ValueLayout.JAVA_FLOAT, i, g);
            up.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (1 + Math.exp(-g)));
        }
        halfActivations = BenchData.halves(arena, HIDDEN, random);
        floatActivations = BenchData.floats(arena, HIDDEN, random);
        scaledWeights = arena.allocate((long) HIDDEN * Float.BYTES, 64);
        fp8Codes = arena.allocate(HIDDEN, 64);
        for (int i = 0; i < HIDDEN; i++) {
            scaledWeights.setAtIndex(ValueLayout.JAVA_FLOAT, i, Fp8E4M3.MAX * BenchData.uniform(random));
            fp8Codes.set(ValueLayout.JAVA_BYTE, i, Fp8E4M3.fromFloat(scaledWeights.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
        }
    }

    /** RMSNorm of the residual stream, rounded to binary16 as the FP8 formats' activations are. */
    @Benchmark
    public float rmsNorm() {
        RmsNorm.normalize(residual, 0, normWeight, HIDDEN, 1e-5f, true, normalized, 0);
        return normalized.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /** RoPE of every query head of one token (the step rotates each head separately). */
    @Benchmark
    public float rope() {
        for (int h = 0; h < HEADS; h++) {
            rope.rotate(heads, (long) h * HEAD_DIM, POSITION);
        }
        return heads.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /** SiLU(gate) × up over the MLP width. */
    @Benchmark
    public float siluTimes() {
        VectorMath.siluTimes(gate, up, MLP);
        return gate.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /** binary16 activations widened to a worker's F32 input (every step's first move). */
    @Benchmark
    public float f16ToF32() {
        Activations.widen(halfActivations, 0, true, floatActivations, 0, HIDDEN);
        return floatActivations.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /** F32 results rounded to binary16 one value at a time, as the steps store them. */
    @Benchmark
    public short f32ToF16() {
        for (int i = 0; i < HIDDEN; i++) {
            Activations.store(halfActivations, i, true, floatActivations.getAtIndex(ValueLayout.JAVA_FLOAT, i));
        }
        return halfActivations.getAtIndex(ValueLayout.JAVA_SHORT, 0);
    }

    /**
     * One 2048-column row of weights, already divided by its scale, rounded to E4M3 codes
     * ({@link Fp8E4M3#fromFloat}: nearest-even, saturating): the quantizer's inner step, which runs
     * once per weight when a model is loaded as FP8.
     */
    @Benchmark
    public byte f32ToFp8() {
        for (int i = 0; i < HIDDEN; i++) {
            fp8Codes.set(ValueLayout.JAVA_BYTE, i, Fp8E4M3.fromFloat(scaledWeights.getAtIndex(ValueLayout.JAVA_FLOAT, i)));
        }
        return fp8Codes.get(ValueLayout.JAVA_BYTE, 0);
    }

    /**
     * One 2048-column row of E4M3 codes to F32 through the scalar codec ({@link Fp8E4M3#toFloat}, a
     * table): how an FP8 embedding row is read. The products decode in vectors instead (the
     * cache-resident matrix-vector table).
     */
    @Benchmark
    public float fp8ToF32() {
        for (int i = 0; i < HIDDEN; i++) {
            floatActivations.setAtIndex(ValueLayout.JAVA_FLOAT, i, Fp8E4M3.toFloat(fp8Codes.get(ValueLayout.JAVA_BYTE, i)));
        }
        return floatActivations.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }
}
