package io.lpu4j.engine.eval;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Fp8E4M3;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MseClippedFp8Test {
    static final int ROWS = 16;
    static final int COLS = 300;

    static float[] gaussian(long seed) {
        Random random = new Random(seed);
        float[] w = new float[ROWS * COLS];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextGaussian() * 0.02);
        }
        return w;
    }

    static double rowError(float[] w, float[] q, int r) {
        double sum = 0;
        for (int c = r * COLS; c < (r + 1) * COLS; c++) {
            double e = (double) w[c] - q[c];
            sum += e * e;
        }
        return sum;
    }

    @Test
    void neverWorseThanAmaxScalingRowByRowAndBetterOverall() {
        float[] w = gaussian(1);
        float[] amax = FormatTransforms.of(WeightFormat.FP8_CHANNEL, 0).apply("w", w, ROWS, COLS);
        float[] searched = MseClippedFp8.quantizeDequantize("w", w, ROWS, COLS);
        double before = 0;
        double after = 0;
        for (int r = 0; r < ROWS; r++) {
            assertTrue(rowError(w, searched, r) <= rowError(w, amax, r), "row " + r);
            before += rowError(w, amax, r);
            after += rowError(w, searched, r);
        }
        assertTrue(after < before, after + " vs " + before);
    }

    @Test
    void aRowClippingCannotImproveKeepsTheAmaxScale() {
        // Every value is a power of two times 448 / 2^k: exactly representable with scale amax / 448.
        float[] w = new float[COLS];
        for (int c = 0; c < COLS; c++) {
            w[c] = (c % 2 == 0 ? 1 : -1) * Math.scalb(1f, -(c % 6));
        }
        float[] searched = MseClippedFp8.quantizeDequantize("w", w, 1, COLS);
        assertArrayEquals(w, searched);
        MatrixTransform amax = FormatTransforms.of(WeightFormat.FP8_CHANNEL, 0);
        assertArrayEquals(amax.apply("w", w, 1, COLS), searched);
    }

    @Test
    void everyValueIsOnTheRowsFp8Grid() {
        float[] w = gaussian(2);
        float[] searched = MseClippedFp8.quantizeDequantize("w", w, ROWS, COLS);
        for (int r = 0; r < ROWS; r++) {
            float largest = 0;
            for (int c = r * COLS; c < (r + 1) * COLS; c++) {
                largest = Math.max(largest, Math.abs(searched[c]));
            }
            float scale = largest / Fp8E4M3.MAX; // the most clipped values saturate at 448 · scale
            for (int c = r * COLS; c < (r + 1) * COLS; c++) {
                float code = searched[c] / scale;
                assertEquals(code, Fp8E4M3.toFloat(Fp8E4M3.fromFloat(code)), Math.ulp(code) * 2, "row " + r);
            }
        }
    }

    @Test
    void zeroRowsStayZero() {
        assertArrayEquals(new float[6], MseClippedFp8.quantizeDequantize("zeros", new float[6], 2, 3));
    }
}
