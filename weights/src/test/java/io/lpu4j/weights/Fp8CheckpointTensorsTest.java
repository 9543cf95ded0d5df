package io.lpu4j.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.lpu4j.weights.SafetensorsBytes.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** FP8 weights in both checkpoint conventions: written from the quantizer, read back, and refused when wrong. */
class Fp8CheckpointTensorsTest {
    private static final String W = "model.layers.0.mlp.up_proj.weight";

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("model.safetensors");
    }

    @ParameterizedTest
    @CsvSource({"TENSOR, 128", "CHANNEL, 128", "BLOCK, 128", "BLOCK, 7", "BLOCK, 1000"})
    void quantizeWriteReadIsBitIdentical(Granularity granularity, int block) {
        int rows = 300;
        int cols = 130;
        float[] x = TestTensors.rowsOfDifferentScales(5, rows, cols, 2);
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor written = Quantizer.quantize(W, x, rows, cols, CodeType.FP8_E4M3, granularity, block, arena);
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            entries.add(SafetensorsWriter.Entry.ofFloats("model.norm.weight", DType.F32, new long[] {3}, new float[3]));
            entries.addAll(Fp8CheckpointTensors.entries(W, written));
            SafetensorsWriter.write(file(), entries, Map.of("format", "pt"));

            try (Checkpoint c = Checkpoint.openFile(file())) {
                String scaleName = granularity == Granularity.BLOCK ? W + "_scale_inv" : W + "_scale";
                long[] scaleShape = switch (granularity) {
                    case TENSOR -> new long[] {1};
                    case CHANNEL -> new long[] {rows, 1};
                    case BLOCK -> new long[] {(rows + block - 1) / block, (cols + block - 1) / block};
                };
                assertEquals(DType.F32, c.tensor(scaleName).dtype());
                assertArrayEquals(scaleShape, c.tensor(scaleName).shape());
                assertEquals(DType.F8_E4M3, c.tensor(W).dtype());

                QuantizedTensor read = Fp8CheckpointTensors.read(c, W, Fp8ScaleConvention.of(granularity), block);
                assertEquals(granularity, read.granularity());
                assertEquals(written.blockSize(), read.blockSize());
                assertEquals(rows, read.rows());
                assertEquals(cols, read.cols());
                assertEquals(-1, written.codes().mismatch(read.codes()), "codes");
                assertEquals(-1, written.scales().mismatch(read.scales()), "scales");
                assertArrayEquals(written.dequantize(), read.dequantize());
                assertEquals(c.tensor(W).data().address(), read.codes().address(), "codes are the mapped bytes, not a copy");
                assertEquals(0, read.scales().address() % 64);
            }
        }
    }

    /** The whole real model quantized per block, written as one FP8 checkpoint, opened and read back. */
    @Test
    void stories260KAsABlockFp8Checkpoint() throws IOException {
        Path model = Files.createDirectory(dir.resolve("stories260K-fp8"));
        Map<String, QuantizedTensor> written = new java.util.LinkedHashMap<>();
        try (Arena arena = Arena.ofConfined(); Checkpoint source = Checkpoint.open(TestTensors.stories260K())) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            for (TensorView t : source.tensors().values()) {
                if (t.rank() == 2) {
                    QuantizedTensor q = Quantizer.quantize(t, CodeType.FP8_E4M3, Granularity.BLOCK, 128, arena);
                    written.put(t.name(), q);
                    entries.addAll(Fp8CheckpointTensors.entries(t.name(), q));
                } else {
                    entries.add(SafetensorsWriter.Entry.copyOf(t.name(), t));
                }
            }
            SafetensorsWriter.write(model.resolve(Checkpoint.SINGLE_FILE), entries, Map.of());
            Files.writeString(model.resolve("config.json"),
                    "{\"quantization_config\": {\"quant_method\": \"fp8\", \"weight_block_size\": [128, 128]}}");
            int block = Fp8CheckpointTensors.blockSizeFromConfig(model.resolve("config.json"));
            try (Checkpoint fp8 = Checkpoint.open(model)) {
                assertEquals(source.tensors().size() + written.size(), fp8.tensors().size());
                for (var e : written.entrySet()) {
                    QuantizedTensor read = Fp8CheckpointTensors.read(fp8, e.getKey(), Fp8ScaleConvention.WEIGHT_SCALE_INV, block);
                    assertEquals(-1, e.getValue().codes().mismatch(read.codes()), e.getKey());
                    assertEquals(-1, e.getValue().scales().mismatch(read.scales()), e.getKey());
                }
            }
        }
    }

    /** compressed-tensors / FBGEMM shapes and dtypes: the scale is widened exactly and multiplies each code. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "[]; F32; TENSOR", "[1]; F32; TENSOR", "[1]; BF16; TENSOR", "[3]; F16; CHANNEL", "[3, 1]; F32; CHANNEL",
            "[3, 1]; BF16; CHANNEL"})
    void weightScaleShapesAndDtypes(String shape, DType dtype, Granularity expected) {
        long[] scaleShape = shape(shape);
        float[] scales = expected == Granularity.TENSOR ? new float[] {0.013f} : new float[] {0.5f, 0.0041f, 3.3f};
        byte[] codes = {0x38, (byte) 0xB0, 0x7E, 0x01, (byte) 0xFE, 0x00};
        writeWeight(codes, 3, 2, SafetensorsWriter.Entry.ofFloats(W + "_scale", dtype, scaleShape, scales));
        try (Checkpoint c = Checkpoint.openFile(file())) {
            QuantizedTensor q = Fp8CheckpointTensors.read(c, W, Fp8ScaleConvention.WEIGHT_SCALE, 0);
            assertEquals(expected, q.granularity());
            assertEquals(0, q.blockSize());
            for (int r = 0; r < 3; r++) {
                float scale = c.tensor(W + "_scale").getFloat(expected == Granularity.TENSOR ? 0 : r);
                for (int col = 0; col < 2; col++) {
                    assertEquals(Fp8E4M3.toFloat(codes[r * 2 + col]) * scale, q.valueAt(r, col));
                }
            }
        }
    }

    /** "[3, 1]", "3,1", "[]" → the dimensions. */
    private static long[] shape(String text) {
        String digits = text.replaceAll("[\\[\\] ]", "");
        return digits.isEmpty() ? new long[0]
                : java.util.Arrays.stream(digits.split(",")).mapToLong(Long::parseLong).toArray();
    }

    private void writeWeight(byte[] codes, int rows, int cols, SafetensorsWriter.Entry... scales) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        entries.add(new SafetensorsWriter.Entry(W, DType.F8_E4M3, new long[] {rows, cols},
                dst -> dst.copyFrom(MemorySegment.ofArray(codes))));
        entries.addAll(List.of(scales));
        SafetensorsWriter.write(file(), entries, Map.of());
    }

    private void assertReadRefused(String tensor, String phrase, Fp8ScaleConvention convention, int block) {
        try (Checkpoint c = Checkpoint.openFile(file())) {
            Path where = c.find(tensor).map(TensorView::file).orElse(dir);
            assertRefused(where, tensor, phrase, () -> Fp8CheckpointTensors.read(c, W, convention, block));
        }
    }

    @Test
    void weightMissing() {
        SafetensorsWriter.write(file(), List.of(SafetensorsWriter.Entry.ofFloats("other", DType.F32, new long[] {1},
                new float[1])), Map.of());
        assertReadRefused(W, "missing from the checkpoint", Fp8ScaleConvention.WEIGHT_SCALE, 0);
    }

    @Test
    void weightNotFp8() {
        SafetensorsWriter.write(file(), List.of(SafetensorsWriter.Entry.ofFloats(W, DType.BF16, new long[] {2, 2},
                new float[4]), SafetensorsWriter.Entry.ofFloats(W + "_scale", DType.F32, new long[] {1}, new float[1])), Map.of());
        assertReadRefused(W, "dtype BF16, but an FP8 weight must be F8_E4M3", Fp8ScaleConvention.WEIGHT_SCALE, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void weightNotAMatrix(int rank) {
        long[] shape = rank == 1 ? new long[] {4} : new long[] {1, 2, 2};
        SafetensorsWriter.write(file(), List.of(new SafetensorsWriter.Entry(W, DType.F8_E4M3, shape, dst -> { }),
                SafetensorsWriter.Entry.ofFloats(W + "_scale", DType.F32, new long[] {1}, new float[1])), Map.of());
        assertReadRefused(W, "is not a non-empty matrix [out, in]", Fp8ScaleConvention.WEIGHT_SCALE, 0);
    }

    @ParameterizedTest
    @EnumSource(Fp8ScaleConvention.class)
    void scaleMissing(Fp8ScaleConvention convention) {
        writeWeight(new byte[6], 3, 2);
        assertReadRefused(convention.scaleName(W), "missing, but FP8 weight '" + W + "' needs it (" + convention,
                convention, 128);
    }

    @Test
    void scaleOfAnIntegerDtype() {
        writeWeight(new byte[6], 3, 2, new SafetensorsWriter.Entry(W + "_scale", DType.I32, new long[] {1}, dst -> { }));
        assertReadRefused(W + "_scale", "dtype I32, but scales must be F32, BF16 or F16", Fp8ScaleConvention.WEIGHT_SCALE, 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "4", "3,2", "1,3", "1,1,3", "2,1"})
    void weightScaleOfAnotherShape(String shape) {
        long[] s = shape(shape);
        int n = (int) java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b);
        writeWeight(new byte[6], 3, 2, SafetensorsWriter.Entry.ofFloats(W + "_scale", DType.F32, s, new float[n]));
        assertReadRefused(W + "_scale", "is neither per tensor ([] or [1]) nor per channel ([3] or [3, 1])",
                Fp8ScaleConvention.WEIGHT_SCALE, 0);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"2; 3,1; [2, 1]", "2; 1,1; [2, 1]", "128; 3,1; [1, 1]", "1; 6; [3, 2]",
            "1; 2,3; [3, 2]"})
    void blockScaleOfAnotherShape(int block, String shape, String expected) {
        long[] s = shape(shape);
        int n = (int) java.util.Arrays.stream(s).reduce(1, (a, b) -> a * b);
        writeWeight(new byte[6], 3, 2, SafetensorsWriter.Entry.ofFloats(W + "_scale_inv", DType.F32, s, new float[n]));
        assertReadRefused(W + "_scale_inv", "does not fit a [3, 2] weight in " + block + " × " + block
                + " blocks, which needs " + expected, Fp8ScaleConvention.WEIGHT_SCALE_INV, block);
    }

    @Test
    void nonFiniteScale() {
        writeWeight(new byte[6], 3, 2, SafetensorsWriter.Entry.ofFloats(W + "_scale", DType.F32, new long[] {3},
                new float[] {1f, Float.NaN, 1f}));
        assertReadRefused(W + "_scale", "element 1 is NaN; scales must be finite", Fp8ScaleConvention.WEIGHT_SCALE, 0);
    }

    @Test
    void blockSizeMustBePositive() {
        writeWeight(new byte[6], 3, 2);
        try (Checkpoint c = Checkpoint.openFile(file())) {
            assertThrows(IllegalArgumentException.class, () ->
                    Fp8CheckpointTensors.read(c, W, Fp8ScaleConvention.WEIGHT_SCALE_INV, 0));
        }
    }

    @Test
    void int8HasNoCheckpointConvention() {
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize(W, new float[4], 2, 2, CodeType.INT8, Granularity.CHANNEL, 0, arena);
            assertThrows(IllegalArgumentException.class, () -> Fp8CheckpointTensors.entries(W, q));
        }
    }

    @Test
    void blockSizeFromConfig() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"quantization_config\": {\"fmt\": \"e4m3\", \"weight_block_size\": [128, 128]}}");
        assertEquals(128, Fp8CheckpointTensors.blockSizeFromConfig(config));
        Files.writeString(config, "{\"quantization_config\": {\"weight_block_size\": [128, 64]}}");
        assertRefused(config, null, "quantization_config.weight_block_size [128,64] is not square",
                () -> Fp8CheckpointTensors.blockSizeFromConfig(config));
        for (String bad : List.of("{}", "{\"quantization_config\": {\"weight_block_size\": [128]}}",
                "{\"quantization_config\": {\"weight_block_size\": [0, 0]}}",
                "{\"quantization_config\": {\"weight_block_size\": [\"128\", 128]}}")) {
            Files.writeString(config, bad);
            assertRefused(config, null, "expected [rows, cols] of positive integers",
                    () -> Fp8CheckpointTensors.blockSizeFromConfig(config));
        }
        Files.writeString(config, "{");
        assertRefused(config, null, "not valid JSON", () -> Fp8CheckpointTensors.blockSizeFromConfig(config));
        assertRefused(dir.resolve("absent.json"), null, "no such file",
                () -> Fp8CheckpointTensors.blockSizeFromConfig(dir.resolve("absent.json")));
    }
}
