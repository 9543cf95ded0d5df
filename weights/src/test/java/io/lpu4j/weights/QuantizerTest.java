package io.lpu4j.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static io.lpu4j.weights.TestTensors.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuantizerTest {

    /** Shapes [rows, cols, block]: odd, tiny, degenerate, blocks that do not divide, blocks larger than the matrix. */
    private static final int[][] SHAPES = {
            {172, 64, 128}, {64, 172, 128}, {300, 130, 128}, {300, 130, 7}, {1, 1, 128}, {1, 300, 64},
            {300, 1, 64}, {129, 257, 128}, {5, 5, 1}, {3, 4, 100},
    };

    static Stream<Arguments> everyShapeTypeAndGranularity() {
        List<Arguments> cases = new ArrayList<>();
        for (int[] shape : SHAPES) {
            for (CodeType type : CodeType.values()) {
                for (Granularity granularity : Granularity.values()) {
                    cases.add(Arguments.of(shape[0], shape[1], shape[2], type, granularity));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "[{0}, {1}] block {2} {3} {4}")
    @MethodSource("everyShapeTypeAndGranularity")
    void matchesThePlainComputation(int rows, int cols, int block, CodeType type, Granularity granularity) {
        float[] x = testMatrix(rows * 31L + cols, rows, cols);
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize("w", x, rows, cols, type, granularity, block, arena);
            QuantizationReference expected = new QuantizationReference(x, rows, cols, type, granularity, block);

            assertEquals(granularity == Granularity.BLOCK ? block : 0, q.blockSize());
            assertEquals((long) rows * cols, q.codes().byteSize());
            assertEquals(0, q.codes().address() % 64, "codes 64-byte aligned");
            assertEquals(0, q.scales().address() % 64, "scales 64-byte aligned");
            assertArrayEquals(expected.scales, q.scales().toArray(QuantizedTensor.SCALE), "scales");
            assertArrayEquals(expected.codes, bytes(q.codes()), "codes");
            assertArrayEquals(expected.values, q.dequantize(), "dequantized values");
            for (int r = 0; r < rows; r += Math.max(1, rows / 7)) {
                for (int c = 0; c < cols; c += Math.max(1, cols / 5)) {
                    assertEquals(expected.values[r * cols + c], q.valueAt(r, c), "valueAt(" + r + ", " + c + ")");
                }
            }
        }
    }

    /** Gaussian rows of different scales, with exact zeros, negative zeros and one all-zero row mixed in. */
    private static float[] testMatrix(long seed, int rows, int cols) {
        float[] x = TestTensors.rowsOfDifferentScales(seed, rows, cols, 3);
        Random random = new Random(seed);
        for (int i = 0; i < x.length; i++) {
            int pick = random.nextInt(20);
            if (pick == 0) {
                x[i] = 0f;
            } else if (pick == 1) {
                x[i] = -0f;
            }
        }
        if (rows > 2) {
            java.util.Arrays.fill(x, cols, 2 * cols, 0f);
        }
        return x;
    }

    @Test
    void blockScalesAreLittleEndianFloat32InBlockRowMajorOrder() {
        int rows = 5;
        int cols = 7;
        int block = 2;
        float[] x = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                x[r * cols + c] = 0.25f; // below every tile maximum set next
            }
        }
        for (int br = 0; br < 3; br++) {
            for (int bc = 0; bc < 4; bc++) {
                int r = Math.min(rows - 1, br * block + 1);
                int c = Math.min(cols - 1, bc * block);
                x[r * cols + c] = -(1 + 10 * br + bc);
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize("w", x, rows, cols, CodeType.FP8_E4M3, Granularity.BLOCK, block, arena);
            assertEquals(12, q.scaleCount());
            ByteBuffer raw = ByteBuffer.wrap(bytes(q.scales())).order(ByteOrder.LITTLE_ENDIAN);
            for (int br = 0; br < 3; br++) {
                for (int bc = 0; bc < 4; bc++) {
                    float expected = (1 + 10 * br + bc) / 448f;
                    assertEquals(expected, raw.getFloat((br * 4 + bc) * 4), "tile (" + br + ", " + bc + ")");
                    assertEquals(br * 4 + bc, q.scaleIndex(Math.min(rows - 1, br * block + 1), Math.min(cols - 1, bc * block)));
                }
            }
        }
    }

    @Test
    void tensorAndChannelScalesAreAmaxOver448Or127() {
        float[] x = {1f, -3f, 2f, /* row 1 */ 0.5f, 0.25f, -0.125f};
        try (Arena arena = Arena.ofConfined()) {
            assertArrayEquals(new float[] {3f / 448f}, scales(Quantizer.quantize("w", x, 2, 3, CodeType.FP8_E4M3,
                    Granularity.TENSOR, 128, arena)));
            assertArrayEquals(new float[] {3f / 448f, 0.5f / 448f}, scales(Quantizer.quantize("w", x, 2, 3,
                    CodeType.FP8_E4M3, Granularity.CHANNEL, 128, arena)));
            assertArrayEquals(new float[] {3f / 127f, 0.5f / 127f}, scales(Quantizer.quantize("w", x, 2, 3,
                    CodeType.INT8, Granularity.CHANNEL, 128, arena)));
        }
    }

    /** Hand-worked: scale 1, so codes are the values rounded (half to even) and clamped. */
    @Test
    void int8KnownCases() {
        float[] x = {127f, -63.5f, 0.5f, 1.5f, 2.5f, -127f, /* row 1, scale 2 */ 254f, 1f, -3f, 5f, -254f, 0f};
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize("w", x, 2, 6, CodeType.INT8, Granularity.CHANNEL, 0, arena);
            assertArrayEquals(new byte[] {127, -64, 0, 2, 2, -127, 127, 0, -2, 2, -127, 0}, bytes(q.codes()));
            assertArrayEquals(new float[] {127f, -64f, 0f, 2f, 2f, -127f, 254f, 0f, -4f, 4f, -254f, 0f}, q.dequantize());
        }
    }

    /** Hand-worked from the E4M3 layout S.EEEE.MMM, bias 7. */
    @Test
    void fp8KnownCases() {
        float[] x = {448f, 1f, -0.5f, 0f, /* row 1, scale 2 */ 896f, 3f, -2f, 0.001953125f};
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize("w", x, 2, 4, CodeType.FP8_E4M3, Granularity.CHANNEL, 0, arena);
            // 448 = 1.75·2^8 → 0.1111.110; 1 → 0.0111.000; -0.5 → 1.0110.000; 3/2 = 1.5 → 0.0111.100;
            // -2/2 = -1 → 1.0111.000; 2^-9/2 = 2^-10 ties between 0 and the smallest subnormal → 0.
            assertArrayEquals(new byte[] {0x7E, 0x38, (byte) 0xB0, 0x00, 0x7E, 0x3C, (byte) 0xB8, 0x00}, bytes(q.codes()));
            assertArrayEquals(new float[] {448f, 1f, -0.5f, 0f, 896f, 3f, -2f, 0f}, q.dequantize());
        }
    }

    /** All-zero and underflowing groups get scale 1: codes ±0, values ±0, never NaN. */
    @Test
    void zeroGroupsGetScaleOneAndKeepTheSignOfZero() {
        float tiny = Float.MIN_VALUE * 7; // amax / 448 underflows to 0
        float[] x = {1f, 2f, 3f, 4f, /* zeros */ 0f, 0f, 0f, 0f, /* signed zeros */ -0f, 0f, -0f, 0f,
                /* underflow */ tiny, -tiny, Float.MIN_VALUE, 0f};
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor fp8 = Quantizer.quantize("w", x, 4, 4, CodeType.FP8_E4M3, Granularity.CHANNEL, 0, arena);
            assertArrayEquals(new float[] {4f / 448f, 1f, 1f, 1f}, scales(fp8));
            float[] values = fp8.dequantize();
            for (int i = 4; i < 16; i++) {
                assertEquals(0f, Math.abs(values[i]), "element " + i);
                assertEquals(Math.copySign(1f, x[i]), Math.copySign(1f, values[i]), "sign of element " + i);
            }
            QuantizedTensor int8 = Quantizer.quantize("w", x, 4, 4, CodeType.INT8, Granularity.CHANNEL, 0, arena);
            assertArrayEquals(new float[] {4f / 127f, 1f, 1f, 1f}, scales(int8));
            for (float v : int8.dequantize()) {
                assertFalse(Float.isNaN(v));
            }
            QuantizedTensor tensor = Quantizer.quantize("w", new float[6], 2, 3, CodeType.FP8_E4M3, Granularity.TENSOR, 0, arena);
            assertArrayEquals(new float[] {1f}, scales(tensor));
            assertArrayEquals(new float[6], tensor.dequantize());
        }
    }

    @Test
    void aZeroTileAmongOthersGetsScaleOne() {
        float[] x = new float[4 * 4];
        x[0] = 2f;      // tile (0, 0)
        x[4 + 3] = -8f; // tile (0, 1)
        x[15] = 1f;     // tile (1, 1); tile (1, 0) stays zero
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize("w", x, 4, 4, CodeType.FP8_E4M3, Granularity.BLOCK, 2, arena);
            assertArrayEquals(new float[] {2f / 448f, 8f / 448f, 1f, 1f / 448f}, scales(q));
            assertArrayEquals(x, q.dequantize());
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheElement() {
        float[] x = {1f, 2f, 3f, 4f, 5f, Float.NaN};
        try (Arena arena = Arena.ofConfined()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(
                    "layer.w", x, 2, 3, CodeType.FP8_E4M3, Granularity.TENSOR, 0, arena));
            assertTrue(e.getMessage().contains("layer.w") && e.getMessage().contains("[1, 2]")
                    && e.getMessage().contains("NaN"), e.getMessage());
            TensorView infinite = TestTensors.f32("layer.v", new float[] {1f, Float.NEGATIVE_INFINITY}, 1, 2);
            InvalidCheckpointException fromFile = assertThrows(InvalidCheckpointException.class, () ->
                    Quantizer.quantize(infinite, CodeType.INT8, Granularity.BLOCK, 128, arena));
            assertEquals(TestTensors.MEMORY + ": tensor 'layer.v': element [0, 1] is -Infinity; only finite weights"
                    + " can be quantized", fromFile.getMessage());
        }
    }

    @Test
    void badArgumentsAreRefused() {
        try (Arena arena = Arena.ofConfined()) {
            float[] x = new float[6];
            assertThrows(IllegalArgumentException.class, () ->
                    Quantizer.quantize("w", x, 2, 3, CodeType.FP8_E4M3, Granularity.BLOCK, 0, arena));
            assertThrows(IllegalArgumentException.class, () ->
                    Quantizer.quantize("w", x, 2, 4, CodeType.FP8_E4M3, Granularity.TENSOR, 0, arena));
            assertThrows(IllegalArgumentException.class, () ->
                    Quantizer.quantize("w", new float[0], 0, 3, CodeType.FP8_E4M3, Granularity.TENSOR, 0, arena));
            assertThrows(IllegalArgumentException.class, () -> Quantizer.quantize(
                    TestTensors.f32("v", x, 6), CodeType.FP8_E4M3, Granularity.TENSOR, 0, arena));
            TensorView ints = new TensorView("i", DType.I32, new long[] {1, 1}, arena.allocate(4), TestTensors.MEMORY);
            assertThrows(IllegalArgumentException.class, () ->
                    Quantizer.quantize(ints, CodeType.INT8, Granularity.TENSOR, 0, arena));
        }
    }

    /**
     * E4M3 keeps 3 mantissa bits, so on Gaussian weights with per-row scales the relative error is
     * nearly that of the format alone. numpy (an independent E4M3 rounding, 256 × 1024 standard normal,
     * its own RNG) gives 31.55 dB for FP8 and 42.07 dB for INT8 per channel; the tolerance covers the
     * different random draw (about ±0.05 dB between seeds) with room to spare.
     */
    @Test
    void sqnrPerChannelOnGaussianWeights() {
        int rows = 256;
        int cols = 1024;
        float[] x = TestTensors.gaussian(42, rows * cols);
        try (Arena arena = Arena.ofConfined()) {
            double fp8 = Sqnr.db(x, Quantizer.quantize("g", x, rows, cols, CodeType.FP8_E4M3, Granularity.CHANNEL, 0,
                    arena).dequantize());
            double int8 = Sqnr.db(x, Quantizer.quantize("g", x, rows, cols, CodeType.INT8, Granularity.CHANNEL, 0,
                    arena).dequantize());
            System.out.printf("SQNR per channel, Gaussian 256x1024: FP8 E4M3 %.3f dB, INT8 %.3f dB%n", fp8, int8);
            assertEquals(31.55, fp8, 0.3);
            assertEquals(42.07, int8, 0.5);
        }
    }

    /**
     * Rows spread over six decades. For INT8 a per-tensor step is far too coarse for the small rows, and
     * the whole-matrix SQNR shows it. For FP8 the small rows lose precision only where they drop into the
     * subnormals, and their energy is a sliver of the total, so the whole-matrix gain is small (but never
     * negative); the mean of the per-row SQNRs (each row is one output feature) shows the real gain.
     */
    @Test
    void perChannelBeatsPerTensorWhenRowScalesDiffer() {
        int rows = 256;
        int cols = 512;
        float[] x = TestTensors.rowsOfDifferentScales(7, rows, cols, 6);
        try (Arena arena = Arena.ofConfined()) {
            for (CodeType type : CodeType.values()) {
                float[] perTensor = Quantizer.quantize("w", x, rows, cols, type, Granularity.TENSOR, 0, arena).dequantize();
                float[] perChannel = Quantizer.quantize("w", x, rows, cols, type, Granularity.CHANNEL, 0, arena).dequantize();
                float[] perBlock = Quantizer.quantize("w", x, rows, cols, type, Granularity.BLOCK, 128, arena).dequantize();
                double tensor = Sqnr.db(x, perTensor);
                double channel = Sqnr.db(x, perChannel);
                double block = Sqnr.db(x, perBlock);
                double tensorRows = meanRowSqnr(x, perTensor, rows, cols);
                double channelRows = meanRowSqnr(x, perChannel, rows, cols);
                System.out.printf("%s, rows over 6 decades: SQNR tensor %.2f, block %.2f, channel %.2f dB;"
                        + " mean per-row tensor %.2f, channel %.2f dB%n", type, tensor, block, channel, tensorRows, channelRows);
                assertTrue(channel >= tensor, type + ": channel " + channel + " < tensor " + tensor);
                assertTrue(block >= tensor, type + ": block " + block + " < tensor " + tensor);
                assertTrue(channelRows > tensorRows + 5, type + ": mean row SQNR channel " + channelRows
                        + " vs tensor " + tensorRows);
            }
        }
    }

    private static double meanRowSqnr(float[] x, float[] xHat, int rows, int cols) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += Sqnr.db(java.util.Arrays.copyOfRange(x, r * cols, (r + 1) * cols),
                    java.util.Arrays.copyOfRange(xHat, r * cols, (r + 1) * cols));
        }
        return sum / rows;
    }

    private static float[] scales(QuantizedTensor q) {
        return q.scales().toArray(QuantizedTensor.SCALE);
    }
}
