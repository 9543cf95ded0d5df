package io.lpu4j.engine.kernel;

import io.lpu4j.weights.Bf16;
import io.lpu4j.weights.Fp8E4M3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every weight format against a double-precision scalar reference, and prefill against decode. */
class WeightMatrixTest {
    enum Format { F32, BF16, FP8_TENSOR, FP8_CHANNEL, FP8_BLOCK, INT8 }

    /** FP8_BLOCK's block: 128, so that panels of 64-column multiples would split blocks. */
    static final int BLOCK = 128;

    static Stream<Arguments> cases() {
        // 300 rows: two halves of 148 rows, 37 groups of four each (an odd number: one call of two
        // groups is left after the pairs of calls), then four rows left over. 150 × 3150: rows in two
        // column panels (InterleavedMatrix.panelWidth; 1600 columns, or 1664 and 1536 for FP8_BLOCK, whose
        // panels hold whole 128-column blocks), halves of 72 rows (one chunk of 18 calls), then six rows
        // left over. BF16 is in two panels at 2048 columns too.
        int[][] shapes = {{13, 172}, {9, 64}, {33, 2048}, {4, 16}, {1, 5}, {130, 300}, {300, 96}, {150, 3150}};
        return Stream.of(Format.values()).flatMap(f -> Stream.of(shapes).map(s -> Arguments.of(f, s[0], s[1])));
    }

    /** A random matrix in a format, with the exact value of each weight for the reference. */
    record TestMatrix(WeightMatrix matrix, double[][] values) {
    }

    static TestMatrix build(Arena arena, Format format, int rows, int cols, SplittableRandom random) {
        double[][] values = new double[rows][cols];
        int block = BLOCK;
        return switch (format) {
            case F32, BF16 -> {
                boolean bf16 = format == Format.BF16;
                int bytes = bf16 ? 2 : 4;
                int stride = RowLayout.stride(cols, bytes);
                MemorySegment data = arena.allocate(RowLayout.bytes(rows, cols, bytes), 64);
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < cols; k++) {
                        float v = (float) random.nextGaussian();
                        if (bf16) {
                            short bits = Bf16.fromFloat(v);
                            data.setAtIndex(ValueLayout.JAVA_SHORT, (long) r * stride + k, bits);
                            values[r][k] = Bf16.toFloat(bits);
                        } else {
                            data.setAtIndex(ValueLayout.JAVA_FLOAT, (long) r * stride + k, v);
                            values[r][k] = v;
                        }
                    }
                }
                if (bf16) {
                    InterleavedMatrix.interleave(data, rows, stride, 2, InterleavedMatrix.PANEL_UNIT, InterleavedMatrix.GroupOrder.ROW_BY_ROW);
                }
                yield new TestMatrix(bf16 ? new Bf16Matrix(data, rows, cols) : new F32Matrix(data, rows, cols), values);
            }
            case FP8_TENSOR, FP8_CHANNEL, FP8_BLOCK, INT8 -> {
                int stride = RowLayout.stride(cols, 1);
                MemorySegment codes = arena.allocate(RowLayout.bytes(rows, cols, 1), 64);
                int scaleCount = switch (format) {
                    case FP8_TENSOR -> 1;
                    case FP8_BLOCK -> ((rows + block - 1) / block) * ((cols + block - 1) / block);
                    default -> rows;
                };
                MemorySegment scales = arena.allocate((long) scaleCount * 4, 64);
                for (int i = 0; i < scaleCount; i++) {
                    scales.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) (0.001 + random.nextDouble() * 0.01));
                }
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < cols; k++) {
                        int code = randomCode(format, random);
                        codes.set(ValueLayout.JAVA_BYTE, (long) r * stride + k, (byte) code);
                        float scale = scales.getAtIndex(ValueLayout.JAVA_FLOAT, switch (format) {
                            case FP8_TENSOR -> 0;
                            case FP8_BLOCK -> (r / block) * ((cols + block - 1) / block) + k / block;
                            default -> r;
                        });
                        double decoded = format == Format.INT8 ? (byte) code : Fp8E4M3.toFloat((byte) code);
                        values[r][k] = decoded * scale;
                    }
                }
                InterleavedMatrix.interleave(codes, rows, stride, 1, format == Format.FP8_BLOCK ? block : InterleavedMatrix.PANEL_UNIT,
                        format == Format.INT8 ? InterleavedMatrix.GroupOrder.ROW_BY_ROW : InterleavedMatrix.GroupOrder.COLUMN_BY_COLUMN);
                WeightMatrix matrix = switch (format) {
                    case INT8 -> new Int8Matrix(codes, scales, rows, cols);
                    case FP8_BLOCK -> new Fp8BlockMatrix(codes, scales, rows, cols, block);
                    default -> new Fp8Matrix(codes, scales, rows, cols);
                };
                yield new TestMatrix(matrix, values);
            }
        };
    }

    private static int randomCode(Format format, SplittableRandom random) {
        if (format == Format.INT8) {
            return random.nextInt(-127, 128);
        }
        int code;
        do {
            code = random.nextInt(256);
        } while ((code & 0x7F) == 0x7F);
        return code;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesScalarReferenceAndPrefillEqualsDecode(Format format, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(rows * 31L + cols + format.ordinal());
        try (Arena arena = Arena.ofConfined()) {
            TestMatrix test = build(arena, format, rows, cols, random);
            // 37 tokens: nine whole groups of four, more than one batch of the prefill tiles
            // (DecodedTiles carries eight groups through its column passes at a time), and one left over.
            int tokens = 37;
            int width = Lanes.padded(cols);
            MemorySegment x = KernelTesting.randomActivations(arena, random, tokens, cols);
            KernelScratch scratch = new KernelScratch(arena, cols);
            MemorySegment batched = arena.allocate((long) tokens * rows * 4, 64);
            test.matrix().multiply(0, rows, x, tokens, batched, 0, rows, scratch);
            MemorySegment single = arena.allocate((long) rows * 4, 64);
            MemorySegment row = arena.allocate((long) width * 4, 64);
            for (int t = 0; t < tokens; t++) {
                test.matrix().multiply(0, rows, x.asSlice((long) t * width * 4), 1, single, 0, rows, scratch);
                for (int r = 0; r < rows; r++) {
                    float many = batched.getAtIndex(ValueLayout.JAVA_FLOAT, (long) t * rows + r);
                    float one = single.getAtIndex(ValueLayout.JAVA_FLOAT, r);
                    assertEquals(Float.floatToRawIntBits(one), Float.floatToRawIntBits(many),
                            format + " row " + r + " token " + t + ": prefill and decode must agree to the bit");
                    double expected = 0;
                    double magnitude = 0;
                    for (int k = 0; k < cols; k++) {
                        double product = test.values()[r][k] * x.getAtIndex(ValueLayout.JAVA_FLOAT, (long) t * width + k);
                        expected += product;
                        magnitude += Math.abs(product);
                    }
                    assertEquals(expected, one, 2e-6 * magnitude + 1e-30, format + " row " + r + " token " + t);
                }
            }
            for (int r = 0; r < rows; r++) {
                test.matrix().readRow(r, row, 0);
                for (int k = 0; k < cols; k++) {
                    assertEquals((float) test.values()[r][k], row.getAtIndex(ValueLayout.JAVA_FLOAT, k), 0f,
                            format + " readRow " + r + "," + k);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void rowRangesGiveTheSameBitsAsTheWholeMatrix(Format format, int rows, int cols) {
        SplittableRandom random = new SplittableRandom(7 + rows + format.ordinal());
        try (Arena arena = Arena.ofConfined()) {
            WeightMatrix matrix = build(arena, format, rows, cols, random).matrix();
            KernelScratch scratch = new KernelScratch(arena, cols);
            for (int tokens : new int[] {1, 6}) {
                MemorySegment x = KernelTesting.randomActivations(arena, random, tokens, cols);
                MemorySegment whole = arena.allocate((long) tokens * rows * 4, 64);
                matrix.multiply(0, rows, x, tokens, whole, 0, rows, scratch);
                int split = rows / 3;
                MemorySegment part = arena.allocate((long) tokens * rows * 4, 64);
                matrix.multiply(split, rows, x, tokens, part, 0, rows - split, scratch);
                for (int t = 0; t < tokens; t++) {
                    for (int r = split; r < rows; r++) {
                        assertEquals(Float.floatToRawIntBits(whole.getAtIndex(ValueLayout.JAVA_FLOAT, (long) t * rows + r)),
                                Float.floatToRawIntBits(part.getAtIndex(ValueLayout.JAVA_FLOAT, (long) t * (rows - split) + r - split)),
                                format + " row " + r + " token " + t);
                    }
                }
            }
        }
    }

    /**
     * Block-scaled FP8 sums each column block of a row on its own and adds it times the block's
     * scale (Fp8BlockMatrix): checked bit for bit against a scalar model of that order, lane by lane,
     * for prefill and for one token, on rows in two panels and a last row block of 6 rows.
     */
    @Test
    void blockScaledFp8SumsEachBlockThenAddsItTimesItsScale() {
        SplittableRandom random = new SplittableRandom(11);
        int rows = 134;
        int cols = 3150;
        int tokens = 5;
        int width = Lanes.padded(cols);
        int blocksPerRow = (cols + BLOCK - 1) / BLOCK;
        try (Arena arena = Arena.ofConfined()) {
            int stride = RowLayout.stride(cols, 1);
            MemorySegment codes = arena.allocate(RowLayout.bytes(rows, cols, 1), 64);
            float[][] weights = new float[rows][width];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) {
                    byte code = (byte) randomCode(Format.FP8_BLOCK, random);
                    codes.set(ValueLayout.JAVA_BYTE, (long) r * stride + k, code);
                    weights[r][k] = Fp8E4M3.toFloat(code);
                }
            }
            InterleavedMatrix.interleave(codes, rows, stride, 1, BLOCK, InterleavedMatrix.GroupOrder.COLUMN_BY_COLUMN);
            float[] scaleValues = new float[2 * blocksPerRow];
            MemorySegment scales = arena.allocate((long) scaleValues.length * 4, 64);
            for (int i = 0; i < scaleValues.length; i++) {
                scaleValues[i] = (float) (0.001 + random.nextDouble() * 0.01);
                scales.setAtIndex(ValueLayout.JAVA_FLOAT, i, scaleValues[i]);
            }
            WeightMatrix matrix = new Fp8BlockMatrix(codes, scales, rows, cols, BLOCK);
            MemorySegment x = KernelTesting.randomActivations(arena, random, tokens, cols);
            MemorySegment[] products = prefillAndOneToken(arena, matrix, x, tokens, rows, cols);
            MemorySegment batched = products[0];
            MemorySegment single = products[1];
            for (int t = 0; t < tokens; t++) {
                for (int r = 0; r < rows; r++) {
                    float[] lanes = new float[Lanes.N];
                    for (int from = 0; from < width; from += BLOCK) {
                        float[] block = new float[Lanes.N];
                        for (int k = from; k < Math.min(width, from + BLOCK); k++) {
                            block[k % Lanes.N] = Math.fma(weights[r][k],
                                    x.getAtIndex(ValueLayout.JAVA_FLOAT, (long) t * width + k), block[k % Lanes.N]);
                        }
                        float scale = scaleValues[r / BLOCK * blocksPerRow + from / BLOCK];
                        for (int j = 0; j < Lanes.N; j++) {
                            lanes[j] = Math.fma(block[j], scale, lanes[j]);
                        }
                    }
                    for (int half = Lanes.N / 2; half > 0; half /= 2) {
                        for (int j = 0; j < half; j++) {
                            lanes[j] += lanes[j + half];
                        }
                    }
                    int expected = Float.floatToRawIntBits(lanes[0]);
                    long at = (long) t * rows + r;
                    assertEquals(expected, Float.floatToRawIntBits(batched.getAtIndex(ValueLayout.JAVA_FLOAT, at)),
                            "prefill, row " + r + " token " + t);
                    assertEquals(expected, Float.floatToRawIntBits(single.getAtIndex(ValueLayout.JAVA_FLOAT, at)),
                            "one token, row " + r + " token " + t);
                }
            }
        }
    }

    /**
     * The FP8 one-token kernel decodes weights scaled by 2^-120 and rescales the input (see
     * Fp8Matrix); this checks it against the exact prefill decode where that could go wrong: every
     * FP16 magnitude, from subnormals (2^-24) to 65504, with every E4M3 code, and tokens made only of
     * FP16 subnormals (the smallest products and the most cancellation).
     */
    @ParameterizedTest
    @MethodSource("fp8Formats")
    void fp8OneTokenKernelGivesTheExactBitsOverTheWholeFp16Range(Format format) {
        SplittableRandom random = new SplittableRandom(format.ordinal());
        int rows = 23;
        int cols = 777;
        int tokens = 6;
        int width = Lanes.padded(cols);
        try (Arena arena = Arena.ofConfined()) {
            WeightMatrix matrix = build(arena, format, rows, cols, random).matrix();
            MemorySegment x = arena.allocate((long) tokens * width * 4, 64);
            for (int t = 0; t < tokens; t++) {
                int maxExponent = t % 2 == 0 ? 30 : 0;
                for (int k = 0; k < cols; k++) {
                    short half = (short) (random.nextInt(2) << 15 | random.nextInt(maxExponent + 1) << 10 | random.nextInt(1024));
                    x.setAtIndex(ValueLayout.JAVA_FLOAT, (long) t * width + k, Float.float16ToFloat(half));
                }
            }
            assertOneTokenGivesThePrefillBits(arena, matrix, x, tokens, rows, cols, format.toString());
        }
    }

    /**
     * Rows in column panels go through the one-token product in chunks of RowMatrix.CHUNK_CALLS calls
     * per half, each chunk over every panel before the next: 2077 rows are two halves of 1036, a whole
     * chunk (1024 rows) and one of three calls, then five rows left over. Checked bit for bit against
     * prefill, which walks rows and panels its own way (a chunk that skipped or repeated a panel, or
     * reused another chunk's accumulators, fails).
     */
    @ParameterizedTest
    @EnumSource(value = Format.class, names = {"BF16", "FP8_TENSOR", "FP8_CHANNEL", "FP8_BLOCK", "INT8"})
    void oneTokenChunksOverPanelsGiveThePrefillBits(Format format) {
        int rows = 8 * RowMatrix.CHUNK_CALLS + 29;
        int cols = 3150;
        int tokens = 2;
        SplittableRandom random = new SplittableRandom(11 + format.ordinal());
        try (Arena arena = Arena.ofConfined()) {
            WeightMatrix matrix = build(arena, format, rows, cols, random).matrix();
            MemorySegment x = KernelTesting.randomActivations(arena, random, tokens, cols);
            assertOneTokenGivesThePrefillBits(arena, matrix, x, tokens, rows, cols, format.toString());
        }
    }

    /** Scales of 2^72 and more make scale·2^56 overflow: such a matrix must take the exact decode. */
    @Test
    void blockScaledFp8WithScalesOfTwoToThe72GivesTheExactBits() {
        SplittableRandom random = new SplittableRandom(5);
        int rows = 20;
        int cols = 256;
        int block = 64;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate(RowLayout.bytes(rows, cols, 1), 64);
            for (long i = 0; i < codes.byteSize(); i++) {
                codes.set(ValueLayout.JAVA_BYTE, i, (byte) randomCode(Format.FP8_BLOCK, random));
            }
            int scaleCount = ((rows + block - 1) / block) * (cols / block);
            MemorySegment scales = arena.allocate((long) scaleCount * 4, 64);
            for (int i = 0; i < scaleCount; i++) {
                scales.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0x1p72f * (1 + i));
            }
            WeightMatrix matrix = new Fp8BlockMatrix(codes, scales, rows, cols, block);
            MemorySegment x = KernelTesting.randomActivations(arena, random, 2, cols);
            assertOneTokenGivesThePrefillBits(arena, matrix, x, 2, rows, cols, "FP8_BLOCK, scales of 2^72");
        }
    }

    /**
     * The products of all tokens of x ({@code tokens} rows of padded {@code cols}): [0] through the
     * prefill path at once, [1] each token alone through the one-token path; token-major.
     */
    private static MemorySegment[] prefillAndOneToken(Arena arena, WeightMatrix matrix, MemorySegment x, int tokens,
                                                      int rows, int cols) {
        int width = Lanes.padded(cols);
        KernelScratch scratch = new KernelScratch(arena, cols);
        MemorySegment batched = arena.allocate((long) tokens * rows * 4, 64);
        matrix.multiply(0, rows, x, tokens, batched, 0, rows, scratch);
        MemorySegment single = arena.allocate((long) tokens * rows * 4, 64);
        for (int t = 0; t < tokens; t++) {
            matrix.multiply(0, rows, x.asSlice((long) t * width * 4), 1, single, (long) t * rows, rows, scratch);
        }
        return new MemorySegment[] {batched, single};
    }

    /** {@link #prefillAndOneToken}'s two products have the same bits. */
    private static void assertOneTokenGivesThePrefillBits(Arena arena, WeightMatrix matrix, MemorySegment x, int tokens,
                                                          int rows, int cols, String what) {
        MemorySegment[] products = prefillAndOneToken(arena, matrix, x, tokens, rows, cols);
        assertEquals(-1L, products[0].mismatch(products[1]), what + ": one-token and prefill products differ");
    }

    static Stream<Format> fp8Formats() {
        return Stream.of(Format.FP8_TENSOR, Format.FP8_CHANNEL, Format.FP8_BLOCK);
    }

    @Test
    void scaleCountsTheFormatDoesNotTakeAreRefusedNamingWhatItTakes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate(RowLayout.bytes(8, 64, 1), 64);
            var fp8 = assertThrows(IllegalArgumentException.class,
                    () -> new Fp8Matrix(codes, arena.allocate(3 * Float.BYTES), 8, 64));
            assertEquals("scales must hold 1 or 8 floats, got 12 bytes", fp8.getMessage());
            var int8 = assertThrows(IllegalArgumentException.class,
                    () -> new Int8Matrix(codes, arena.allocate(Float.BYTES), 8, 64));
            assertEquals("scales must hold 8 floats, got 4 bytes", int8.getMessage());
        }
    }
}
