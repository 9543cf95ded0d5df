package io.lpu4j.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.lpu4j.weights.SafetensorsBytes.entry;
import static io.lpu4j.weights.SafetensorsBytes.header;
import static io.lpu4j.weights.SafetensorsBytes.littleEndian;
import static io.lpu4j.weights.SafetensorsBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Well-formed files read back exactly: every dtype, empty tensors, and what the writer wrote. */
class SafetensorsFileReadTest {
    @TempDir
    Path dir;

    /** Two elements of every dtype, laid out by hand, each read back with {@link TensorView#getFloat}. */
    @Test
    void everyDtypeReads() {
        ByteBuffer data = littleEndian(2 * (8 + 4 + 2 + 2 + 1 + 1 + 8 + 4 + 2 + 1 + 1 + 1));
        data.putDouble(1.5).putDouble(-1e300);                                  // F64
        data.putFloat(-2.25f).putFloat(Float.MIN_VALUE);                        // F32
        data.putShort(Float.floatToFloat16(65504f)).putShort(Float.floatToFloat16(-0x1p-24f)); // F16
        data.putShort((short) 0x3FC0).putShort((short) 0xFF80);                 // BF16: 1.5, -inf
        data.put((byte) 0x7E).put((byte) 0x81);                                 // F8_E4M3: 448, -2^-9
        data.put((byte) 0x7B).put((byte) 0x7C);                                 // F8_E5M2: 57344, +inf
        data.putLong(-5).putLong(1L << 40);                                     // I64
        data.putInt(Integer.MIN_VALUE).putInt(7);                               // I32
        data.putShort((short) -32768).putShort((short) 300);                    // I16
        data.put((byte) -128).put((byte) 127);                                  // I8
        data.put((byte) 0xFF).put((byte) 0);                                    // U8
        data.put((byte) 1).put((byte) 0);                                       // BOOL
        String[] dtypes = {"F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "I64", "I32", "I16", "I8", "U8", "BOOL"};
        int[] sizes = {8, 4, 2, 2, 1, 1, 8, 4, 2, 1, 1, 1};
        String[] entries = new String[dtypes.length];
        long offset = 0;
        for (int i = 0; i < dtypes.length; i++) {
            entries[i] = entry(dtypes[i].toLowerCase(), dtypes[i], "[2]", offset, offset + 2L * sizes[i]);
            offset += 2L * sizes[i];
        }
        Path f = write(dir.resolve("all.safetensors"), header(entries), data.array());
        float[][] expected = {{1.5f, Float.NEGATIVE_INFINITY}, {-2.25f, Float.MIN_VALUE}, {65504f, -0x1p-24f},
                {1.5f, Float.NEGATIVE_INFINITY}, {448f, -0x1p-9f}, {57344f, Float.POSITIVE_INFINITY},
                {-5f, 0x1p40f}, {-0x1p31f, 7f}, {-32768f, 300f}, {-128f, 127f}, {255f, 0f}, {1f, 0f}};
        try (Arena arena = Arena.ofConfined()) {
            Map<String, TensorView> tensors = SafetensorsFile.open(f, arena).tensors();
            assertEquals(dtypes.length, tensors.size());
            for (int i = 0; i < dtypes.length; i++) {
                TensorView t = tensors.get(dtypes[i].toLowerCase());
                assertEquals(DType.valueOf(dtypes[i]), t.dtype());
                assertEquals(sizes[i], t.dtype().bytes());
                assertArrayEquals(new long[] {2}, t.shape());
                assertEquals(f, t.file());
                assertArrayEquals(expected[i], t.toFloatArray(), dtypes[i]);
                assertEquals(expected[i][1], t.getFloat(1), dtypes[i]);
            }
        }
    }

    /** F32 is stored as is, F16 and BF16 widen exactly: check every F16 and BF16 bit pattern. */
    @Test
    void halfPrecisionFormatsConvertExactly() {
        ByteBuffer data = littleEndian(2 * 65536 * 2);
        for (int bits = 0; bits < 65536; bits++) {
            data.putShort(2 * bits, (short) bits);
            data.putShort(2 * 65536 + 2 * bits, (short) bits);
        }
        Path f = write(dir.resolve("halves.safetensors"), header(entry("h", "F16", "[65536]", 0, 131072),
                entry("b", "BF16", "[256, 256]", 131072, 262144)), data.array());
        try (Arena arena = Arena.ofConfined()) {
            Map<String, TensorView> tensors = SafetensorsFile.open(f, arena).tensors();
            float[] halves = tensors.get("h").toFloatArray();
            float[] brains = tensors.get("b").toFloatArray();
            for (int bits = 0; bits < 65536; bits++) {
                assertSameFloat(Float.float16ToFloat((short) bits), halves[bits], "F16 " + bits);
                assertSameFloat(Float.intBitsToFloat(bits << 16), brains[bits], "BF16 " + bits);
                assertSameFloat(brains[bits], tensors.get("b").getFloat(bits), "BF16 getFloat " + bits);
            }
        }
    }

    private static void assertSameFloat(float expected, float actual, String what) {
        if (Float.isNaN(expected)) {
            assertTrue(Float.isNaN(actual), what);
        } else {
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual), what);
        }
    }

    @Test
    void zeroElementTensorsAndScalars() {
        ByteBuffer data = littleEndian(4).putFloat(3.5f);
        Path f = write(dir.resolve("empty.safetensors"), header(entry("none", "F32", "[0]", 0, 0),
                entry("rows", "BF16", "[4, 0]", 0, 0), entry("scalar", "F32", "[]", 0, 4),
                entry("after", "I64", "[0, 3]", 4, 4)), data.array());
        try (Arena arena = Arena.ofConfined()) {
            Map<String, TensorView> tensors = SafetensorsFile.open(f, arena).tensors();
            assertEquals(List.of("none", "rows", "scalar", "after"), List.copyOf(tensors.keySet()));
            assertEquals(0, tensors.get("none").elementCount());
            assertEquals(0, tensors.get("rows").data().byteSize());
            assertArrayEquals(new float[0], tensors.get("rows").toFloatArray());
            assertEquals(0, tensors.get("scalar").rank());
            assertEquals(1, tensors.get("scalar").elementCount());
            assertEquals(3.5f, tensors.get("scalar").getFloat(0));
            assertEquals(0, tensors.get("after").elementCount());
        }
    }

    @Test
    void emptyFileWithOnlyMetadata() {
        Path f = write(dir.resolve("meta.safetensors"), "{\"__metadata__\": {\"format\": \"pt\"}}", new byte[0]);
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile file = SafetensorsFile.open(f, arena);
            assertTrue(file.tensors().isEmpty());
            assertEquals(Map.of("format", "pt"), file.metadata());
        }
    }

    @Test
    void roundTripThroughTheWriter() {
        SplittableRandom random = new SplittableRandom(11);
        float[] values = new float[6 * 10];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Path f = dir.resolve("written.safetensors");
        SafetensorsWriter.write(f, List.of(
                SafetensorsWriter.Entry.ofFloats("f32", DType.F32, new long[] {6, 10}, values),
                SafetensorsWriter.Entry.ofFloats("f16", DType.F16, new long[] {60}, values),
                SafetensorsWriter.Entry.ofFloats("bf16", DType.BF16, new long[] {3, 2, 10}, values),
                SafetensorsWriter.Entry.ofFloats("empty", DType.F32, new long[] {0, 10}, new float[0])),
                Map.of("format", "pt", "note", "ünïcödé"));
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile read = SafetensorsFile.open(f, arena);
            assertEquals(Map.of("format", "pt", "note", "ünïcödé"), read.metadata());
            assertEquals(List.of("f32", "f16", "bf16", "empty"), List.copyOf(read.tensors().keySet()));
            assertArrayEquals(new long[] {3, 2, 10}, read.tensors().get("bf16").shape());
            float[] f16 = read.tensors().get("f16").toFloatArray();
            float[] bf16 = read.tensors().get("bf16").toFloatArray();
            assertArrayEquals(values, read.tensors().get("f32").toFloatArray());
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.float16ToFloat(Float.floatToFloat16(values[i])), f16[i]);
                assertEquals(Bf16.toFloat(Bf16.fromFloat(values[i])), bf16[i]);
            }

            Path copy = dir.resolve("copy.safetensors");
            SafetensorsWriter.write(copy, read.tensors().values().stream()
                    .map(t -> SafetensorsWriter.Entry.copyOf("copy." + t.name(), t)).toList(), Map.of());
            Map<String, TensorView> copied = SafetensorsFile.open(copy, arena).tensors();
            for (TensorView t : read.tensors().values()) {
                TensorView c = copied.get("copy." + t.name());
                assertEquals(t.dtype(), c.dtype());
                assertArrayEquals(t.shape(), c.shape());
                assertEquals(-1, t.data().mismatch(c.data()), t.name());
            }
        }
    }

    @Test
    void writerRefusesEntriesThatDoNotFitTheirShape() {
        assertThrows(IllegalArgumentException.class, () ->
                SafetensorsWriter.Entry.ofFloats("w", DType.F32, new long[] {2, 3}, new float[5]));
        assertThrows(IllegalArgumentException.class, () ->
                SafetensorsWriter.Entry.ofFloats("w", DType.I32, new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class, () ->
                SafetensorsWriter.Entry.ofFloats("w", DType.F32, new long[] {-1, -3}, new float[3]));
    }
}
