package io.lpu4j.weights;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every matrix of the real stories260K model (F32, and its BF16 twin) quantized every way: exact against
 * the plain computation, and the SQNR printed as the accuracy figure for real weights.
 */
class Stories260KQuantizationTest {

    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "stories260K-bf16"})
    void everyMatrixQuantizesExactlyAsSpecified(String model) {
        try (Checkpoint checkpoint = Checkpoint.open(TestTensors.shared().resolve("models").resolve(model));
             Arena arena = Arena.ofConfined()) {
            for (CodeType type : CodeType.values()) {
                for (Granularity granularity : Granularity.values()) {
                    double signal = 0;
                    double noise = 0;
                    double worst = Double.POSITIVE_INFINITY;
                    for (TensorView t : checkpoint.tensors().values()) {
                        if (t.rank() != 2) {
                            continue;
                        }
                        int rows = t.dim(0);
                        int cols = t.dim(1);
                        QuantizedTensor q = Quantizer.quantize(t, type, granularity, Quantizer.DEFAULT_BLOCK_SIZE, arena);
                        float[] x = t.toFloatArray();
                        QuantizationReference expected = new QuantizationReference(x, rows, cols, type, granularity,
                                Quantizer.DEFAULT_BLOCK_SIZE);
                        assertArrayEquals(expected.codes, TestTensors.bytes(q.codes()), t.name());
                        assertArrayEquals(expected.scales, q.scales().toArray(QuantizedTensor.SCALE), t.name());
                        float[] xHat = q.dequantize();
                        for (int i = 0; i < x.length; i++) {
                            signal += (double) x[i] * x[i];
                            noise += ((double) x[i] - xHat[i]) * ((double) x[i] - xHat[i]);
                        }
                        double streamed = Sqnr.db(t, q);
                        assertEquals(Sqnr.db(x, xHat), streamed, 0.0, t.name());
                        worst = Math.min(worst, streamed);
                    }
                    double overall = 10 * Math.log10(signal / noise);
                    System.out.printf("%s %s %s: SQNR over all 2-D weights %.2f dB, worst matrix %.2f dB%n",
                            model, type, granularity, overall, worst);
                    // Small trained weights, heavier-tailed than Gaussian; still far from useless.
                    assertTrue(worst > 20, model + " " + type + " " + granularity + ": worst " + worst);
                }
            }
        }
    }
}
