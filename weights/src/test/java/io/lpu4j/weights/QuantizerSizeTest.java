package io.lpu4j.weights;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The quantizer on a matrix whose element indices pass 2^31 (speed is measured by the benchmarks, not here). */
class QuantizerSizeTest {

    /**
     * 65 537 × 32 768 = 2^31 + 32 768 weights: the last row starts exactly at element 2^31. The source is
     * an FP8 tensor in native memory (1 byte a weight), all 1.0 except a pattern in the last row, whose
     * codes and scale are checked against a plain computation.
     */
    @Test
    void streamsAMatrixOfMoreThan2To31Elements() {
        int rows = 65_537;
        int cols = 32_768;
        long lastRow = (long) (rows - 1) * cols;
        assertEquals(1L << 31, lastRow);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate((long) rows * cols);
            source.fill(Fp8E4M3.fromFloat(1f));
            float[] pattern = new float[cols]; // every finite E4M3 value but 448, alternating in sign
            for (int c = 0; c < cols; c++) {
                byte code = (byte) ((c % 0x7E) | (c & 1) << 7);
                pattern[c] = Fp8E4M3.toFloat(code);
                source.set(ValueLayout.JAVA_BYTE, lastRow + c, code);
            }
            TensorView w = new TensorView("huge", DType.F8_E4M3, new long[] {rows, cols}, source, TestTensors.MEMORY);

            long start = System.nanoTime();
            QuantizedTensor q = Quantizer.quantize(w, CodeType.FP8_E4M3, Granularity.CHANNEL, 0, arena);
            System.out.printf("quantize FP8 CHANNEL %dx%d (2^31 + %d elements): %.1f s%n", rows, cols,
                    (long) rows * cols - (1L << 31), (System.nanoTime() - start) / 1e9);

            assertEquals((long) rows * cols, q.codes().byteSize());
            assertEquals(1f / 448f, q.scales().getAtIndex(QuantizedTensor.SCALE, rows - 2));
            float amax = 0;
            for (float v : pattern) {
                amax = Math.max(amax, Math.abs(v));
            }
            float scale = amax / 448f;
            assertEquals(scale, q.scales().getAtIndex(QuantizedTensor.SCALE, rows - 1));
            for (int c = 0; c < cols; c++) {
                byte expected = Fp8E4M3.fromFloat(pattern[c] / scale);
                assertEquals(expected, q.codes().get(ValueLayout.JAVA_BYTE, lastRow + c), "last row, column " + c);
            }
            assertEquals(Fp8E4M3.fromFloat(448f), q.codes().get(ValueLayout.JAVA_BYTE, lastRow - 1));
        }
    }
}
