package io.lpu4j.weights;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a {@code .safetensors} file. Each tensor fills its own slice of the memory-mapped output,
 * so arbitrarily large tensors stream to disk without passing through the Java heap. The file is
 * written beside its destination and moved into place only when complete.
 */
public final class SafetensorsWriter {

    /**
     * One tensor to write.
     *
     * @param fill writes exactly {@code elementCount × dtype.bytes()} bytes into the segment it is given
     */
    public record Entry(String name, DType dtype, long[] shape, Consumer<MemorySegment> fill) {
        public Entry {
            shape = shape.clone();
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
                }
            }
        }

        public long elementCount() {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        public long byteSize() {
            return Math.multiplyExact(elementCount(), dtype.bytes());
        }

        /** A copy of an existing tensor's bytes, under a new name if wanted. */
        public static Entry copyOf(String name, TensorView tensor) {
            return new Entry(name, tensor.dtype(), tensor.shape(), dst -> dst.copyFrom(tensor.data()));
        }

        /** Float values stored as F32, F16 (round to nearest even) or BF16 (round to nearest even). */
        public static Entry ofFloats(String name, DType dtype, long[] shape, float[] values) {
            if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
                throw new IllegalArgumentException(name + ": ofFloats cannot write " + dtype);
            }
            Entry entry = new Entry(name, dtype, shape, dst -> {
                for (int i = 0; i < values.length; i++) {
                    switch (dtype) {
                        case F32 -> dst.setAtIndex(TensorView.F32_LE, i, values[i]);
                        case F16 -> dst.setAtIndex(TensorView.I16_LE, i, Float.floatToFloat16(values[i]));
                        case BF16 -> dst.setAtIndex(TensorView.I16_LE, i, Bf16.fromFloat(values[i]));
                        default -> throw new IllegalStateException(dtype + " was refused above");
                    }
                }
            });
            if (entry.elementCount() != values.length) {
                throw new IllegalArgumentException(name + ": " + values.length + " values for shape "
                        + Arrays.toString(shape));
            }
            return entry;
        }
    }

    private SafetensorsWriter() {
    }

    public static void write(Path file, List<Entry> entries, Map<String, String> metadata) {
        byte[] header = header(entries, metadata);
        long dataSize = 0;
        for (Entry e : entries) {
            dataSize += e.byteSize();
        }
        long total = 8 + header.length + dataSize;
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE);
             // shared, not confined: a confined memory session anywhere in a process slows the engine's
             // vector kernels (see the engine's PrefillAllocationTest)
             Arena arena = Arena.ofShared()) {
            MemorySegment out = channel.map(FileChannel.MapMode.READ_WRITE, 0, total, arena);
            out.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, header.length);
            MemorySegment.copy(header, 0, out, ValueLayout.JAVA_BYTE, 8, header.length);
            long offset = 8 + header.length;
            for (Entry e : entries) {
                long size = e.byteSize();
                e.fill().accept(out.asSlice(offset, size));
                offset += size;
            }
            out.force();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + partial + " to " + file, e);
        }
    }

    /** The JSON header, padded with spaces to a multiple of 8 bytes so the data region is 8-aligned. */
    private static byte[] header(List<Entry> entries, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            json.put(SafetensorsFile.METADATA_KEY, metadata);
        }
        long offset = 0;
        for (Entry e : entries) {
            long size = e.byteSize();
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("dtype", e.dtype().name());
            tensor.put("shape", e.shape());
            tensor.put("data_offsets", new long[] {offset, offset + size});
            json.put(e.name(), tensor);
            offset += size;
        }
        String text;
        try {
            text = JsonFiles.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (text.getBytes(StandardCharsets.UTF_8).length + 7) / 8 * 8;
        StringBuilder sb = new StringBuilder(text);
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < padded) {
            sb.append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
