package io.lpu4j.bench.kernel;

import io.lpu4j.engine.exec.HugePages;
import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.engine.plan.StorageType;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Bf16;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.Granularity;
import io.lpu4j.weights.QuantizedTensor;
import io.lpu4j.weights.Quantizer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * Inputs for the kernel benchmarks, laid out as the engine lays them out (64-byte aligned rows,
 * zero padding). Weights are Gaussian (σ = 0.02, as initialised LLM weights) and quantized by the
 * project's own {@link Quantizer}, so codes are distributed as in a real checkpoint: the engine's
 * kernels do not care, but a decoder whose speed depends on the codes (subnormal FP8 codes are
 * 0.01 % of all-MiniLM-L6-v2's weights quantized per channel, 6 % of uniformly random codes) would.
 * Activations are uniform in [-1, 1), never denormal.
 */
public final class BenchData {
    /** Block size of the FP8 block-scaled format (DeepSeek-V3's 128×128). */
    public static final int FP8_BLOCK = 128;
    private static final double WEIGHT_SIGMA = 0.02;

    private BenchData() {
    }

    /** Bytes a full multiply reads (codes plus scales), as {@link WeightMatrix#bytes()} counts them. */
    public static long matrixBytes(WeightFormat format, Shape shape) {
        StorageType storage = format.linearStorage();
        return RowLayout.bytes(shape.rows(), shape.cols(), storage.elementBytes())
                + storage.scaleCount(shape.rows(), shape.cols(), FP8_BLOCK) * Float.BYTES;
    }

    /** How many copies of the matrix make at least {@code mib} MiB (at least one). */
    public static int copiesFor(WeightFormat format, Shape shape, int mib) {
        return (int) Math.max(1, Math.ceilDiv((long) mib << 20, matrixBytes(format, shape)));
    }

    /**
     * {@code count} matrices in {@code format}, each in its own memory: one random matrix and byte
     * copies of it (DRAM reads cost the same whatever the bytes; generating each afresh would not).
     */
    public static WeightMatrix[] matrices(WeightFormat format, Shape shape, int count, Arena arena,
                                          SplittableRandom random) {
        Stored[] stored = stored(format, shape, count, arena, random);
        WeightMatrix[] matrices = new WeightMatrix[count];
        for (int i = 0; i < count; i++) {
            matrices[i] = stored[i].matrix(format, shape);
            if (matrices[i].bytes() != matrixBytes(format, shape)) {
                throw new IllegalStateException(format + " " + shape + ": byte count disagrees with the engine's");
            }
        }
        return matrices;
    }

    /** One random matrix in {@code format}. */
    public static WeightMatrix matrix(WeightFormat format, Shape shape, Arena arena, SplittableRandom random) {
        return matrices(format, shape, 1, arena, random)[0];
    }

    /** The raw segments of {@link #matrices}, for kernels other than the engine's. */
    public static Stored[] stored(WeightFormat format, Shape shape, int count, Arena arena, SplittableRandom random) {
        Stored[] stored = new Stored[count];
        stored[0] = store(format, shape, arena, random);
        for (int i = 1; i < count; i++) {
            stored[i] = new Stored(copy(stored[0].data(), arena), copy(stored[0].scales(), arena));
        }
        return stored;
    }

    /**
     * A matrix as the engine stores it: codes (or F32/BF16 values) in {@link RowLayout}, and F32
     * native-order scales (empty if the format has none).
     */
    public record Stored(MemorySegment data, MemorySegment scales) {

        /** The engine's kernel for these bytes. */
        public WeightMatrix matrix(WeightFormat format, Shape shape) {
            return format.linearStorage().matrix(data, scales, shape.rows(), shape.cols(), FP8_BLOCK);
        }
    }

    private static Stored store(WeightFormat format, Shape shape, Arena arena, SplittableRandom random) {
        int rows = shape.rows();
        int cols = shape.cols();
        StorageType storage = format.linearStorage();
        int stride = RowLayout.stride(cols, storage.elementBytes());
        MemorySegment data = HugePages.allocate(arena, RowLayout.bytes(rows, cols, storage.elementBytes()), RowLayout.ALIGNMENT);
        float[] values = new float[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * WEIGHT_SIGMA);
        }
        if (!storage.scaled()) {
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    float v = values[r * cols + k];
                    long at = (long) r * stride + k;
                    if (storage == StorageType.F32) {
                        data.setAtIndex(ValueLayout.JAVA_FLOAT, at, v);
                    } else {
                        data.setAtIndex(ValueLayout.JAVA_SHORT, at, Bf16.fromFloat(v));
                    }
                }
            }
            storage.arrange(data, rows, stride, FP8_BLOCK);
            return new Stored(data, arena.allocate(0));
        }
        QuantizedTensor q = switch (storage) {
            case FP8_TENSOR -> Quantizer.quantize("w", values, rows, cols, CodeType.FP8_E4M3, Granularity.TENSOR, 0, arena);
            case FP8_CHANNEL -> Quantizer.quantize("w", values, rows, cols, CodeType.FP8_E4M3, Granularity.CHANNEL, 0, arena);
            case FP8_BLOCK -> Quantizer.quantize("w", values, rows, cols, CodeType.FP8_E4M3, Granularity.BLOCK,
                    FP8_BLOCK, arena);
            default -> Quantizer.quantize("w", values, rows, cols, CodeType.INT8, Granularity.CHANNEL, 0, arena);
        };
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(q.codes(), (long) r * cols, data, (long) r * stride, cols);
        }
        storage.arrange(data, rows, stride, FP8_BLOCK);
        MemorySegment scales = arena.allocate(q.scaleCount() * Float.BYTES, RowLayout.ALIGNMENT);
        for (long i = 0; i < q.scaleCount(); i++) {
            scales.setAtIndex(ValueLayout.JAVA_FLOAT, i, q.scales().getAtIndex(QuantizedTensor.SCALE, i));
        }
        return new Stored(data, scales);
    }

    private static MemorySegment copy(MemorySegment source, Arena arena) {
        return HugePages.allocate(arena, source.byteSize(), RowLayout.ALIGNMENT).copyFrom(source);
    }

    /** {@code tokens} rows of {@code Lanes.padded(cols)} floats, zero beyond {@code cols}: a matrix's input. */
    public static MemorySegment activations(Arena arena, int tokens, int cols, SplittableRandom random) {
        int width = Lanes.padded(cols);
        MemorySegment x = arena.allocate((long) tokens * width * Float.BYTES, RowLayout.ALIGNMENT);
        for (int t = 0; t < tokens; t++) {
            for (int k = 0; k < cols; k++) {
                x.setAtIndex(ValueLayout.JAVA_FLOAT, (long) t * width + k, uniform(random));
            }
        }
        return x;
    }

    /** {@code count} random F32 values. */
    public static MemorySegment floats(Arena arena, long count, SplittableRandom random) {
        MemorySegment s = HugePages.allocate(arena, count * Float.BYTES, RowLayout.ALIGNMENT);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, uniform(random));
        }
        return s;
    }

    /** {@code count} random IEEE binary16 values. */
    public static MemorySegment halves(Arena arena, long count, SplittableRandom random) {
        MemorySegment s = arena.allocate(count * Short.BYTES, RowLayout.ALIGNMENT);
        for (long i = 0; i < count; i++) {
            s.setAtIndex(ValueLayout.JAVA_SHORT, i, Float.floatToFloat16(uniform(random)));
        }
        return s;
    }

    /** Uniform in [-1, 1), a multiple of 2^-23: never a denormal. */
    static float uniform(SplittableRandom random) {
        return (random.nextInt() >> 8) * 0x1p-23f;
    }
}
