package io.lpu4j.weights;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One tensor of a checkpoint: its type and shape, and its bytes as a (usually memory-mapped) segment.
 * Safetensors data is little-endian and not necessarily aligned, hence the unaligned layouts.
 *
 * @param name  the tensor's name in the checkpoint
 * @param dtype element type
 * @param shape dimensions, outermost first (row-major)
 * @param data  exactly {@code elementCount() * dtype.bytes()} bytes
 * @param file  the file the tensor was read from, for error messages
 */
public record TensorView(String name, DType dtype, long[] shape, MemorySegment data, Path file) {

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public TensorView {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; fails if it does not fit an int. */
    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Element {@code index} (row-major) as a float. F32, F16, BF16 and both FP8 formats convert
     * exactly; F64 and 64-bit integers round to nearest.
     */
    public float getFloat(long index) {
        return switch (dtype) {
            case F32 -> data.get(F32_LE, index * 4);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, index * 2));
            case BF16 -> Float.intBitsToFloat(data.get(I16_LE, index * 2) << 16);
            case F8_E4M3 -> Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, index));
            case F8_E5M2 -> Fp8E5M2.toFloat(data.get(ValueLayout.JAVA_BYTE, index));
            case F64 -> (float) data.get(F64_LE, index * 8);
            case I64 -> (float) data.get(I64_LE, index * 8);
            case I32 -> (float) data.get(I32_LE, index * 4);
            case I16 -> data.get(I16_LE, index * 2);
            case I8, BOOL -> data.get(ValueLayout.JAVA_BYTE, index);
            case U8 -> data.get(ValueLayout.JAVA_BYTE, index) & 0xFF;
        };
    }

    /** Copies {@code count} elements starting at element {@code from} into {@code dst[offset..]} as floats. */
    public void readFloats(long from, float[] dst, int offset, int count) {
        // One dtype test per call, then a loop the JIT can keep tight (the quantizer streams whole
        // checkpoints through here, so a per-element switch would dominate its cost).
        switch (dtype) {
            case F32 -> MemorySegment.copy(data, F32_LE, from * 4, dst, offset, count);
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Bf16.toFloat(data.get(I16_LE, (from + i) * 2));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Float.float16ToFloat(data.get(I16_LE, (from + i) * 2));
                }
            }
            case F8_E4M3 -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = Fp8E4M3.toFloat(data.get(ValueLayout.JAVA_BYTE, from + i));
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    dst[offset + i] = getFloat(from + i);
                }
            }
        }
    }

    /** All elements as a new float array (for tensors of fewer than 2^31 elements). */
    public float[] toFloatArray() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(name + " has " + n + " elements, too many for a float[]");
        }
        float[] out = new float[(int) n];
        readFloats(0, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
