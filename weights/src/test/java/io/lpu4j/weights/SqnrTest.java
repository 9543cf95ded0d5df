package io.lpu4j.weights;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqnrTest {

    @Test
    void knownRatios() {
        // Σx² = 9 + 16 = 25, Σe² = 0.25: ratio 100, exactly 20 dB.
        assertEquals(20.0, Sqnr.db(new float[] {3f, 4f}, new float[] {3f, 4.5f}), 0.0);
        // Σx² = 1, Σe² = 1: 0 dB.
        assertEquals(0.0, Sqnr.db(new float[] {1f, 0f}, new float[] {0f, 0f}), 0.0);
        // Terms are squared in double: (10·2^70)² overflows float but not double. Ratio 100 again.
        assertEquals(20.0, Sqnr.db(new float[] {10 * 0x1p70f}, new float[] {9 * 0x1p70f}), 0.0);
    }

    @Test
    void noNoiseIsInfinitelyGoodAndNoSignalInfinitelyBad() {
        assertEquals(Double.POSITIVE_INFINITY, Sqnr.db(new float[] {1f, -2f}, new float[] {1f, -2f}));
        assertEquals(Double.POSITIVE_INFINITY, Sqnr.db(new float[] {0f}, new float[] {0f}));
        assertEquals(Double.NEGATIVE_INFINITY, Sqnr.db(new float[] {0f, 0f}, new float[] {1f, 0f}));
    }

    @Test
    void refusesMismatchedInputs() {
        assertThrows(IllegalArgumentException.class, () -> Sqnr.db(new float[2], new float[3]));
        try (Arena arena = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize("w", new float[6], 2, 3, CodeType.INT8, Granularity.TENSOR, 0, arena);
            assertThrows(IllegalArgumentException.class, () -> Sqnr.db(TestTensors.f32("v", new float[6], 3, 2), q));
        }
    }
}
