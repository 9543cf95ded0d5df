package io.lpu4j.engine.eval;

import io.lpu4j.weights.Fp8E4M3;

import java.util.stream.IntStream;

/**
 * Per-channel FP8 E4M3 with each row's scale chosen for the least squared error instead of
 * amax / 448: scale = ratio · amax / 448 for ratio = 1.00, 0.99, ..., 0.70, keeping the ratio whose
 * dequantized row is closest to the original (ties go to the larger ratio, so a row that clipping
 * cannot improve keeps amax / 448). Weights above the clipped range saturate at ±448 · scale.
 *
 * <p>Why it can help at all: a smaller scale moves every weight up the FP8 grid, out of the
 * subnormal range where steps are coarse relative to the value, at the price of clipping the few
 * largest weights. Since E4M3's relative precision is the same across its normal range, the gain is
 * small; the report shows how small.
 */
public final class MseClippedFp8 {
    /** Largest and smallest clipping ratio, in hundredths. */
    private static final int FIRST_RATIO = 100;
    private static final int LAST_RATIO = 70;

    private MseClippedFp8() {
    }

    /** The row-major [rows × cols] matrix quantized with searched scales, then dequantized. */
    public static float[] quantizeDequantize(String name, float[] values, int rows, int cols) {
        float[] out = new float[values.length];
        // Rows are independent and each is searched exactly the same way: parallel, yet deterministic.
        IntStream.range(0, rows).parallel().forEach(r -> bestRow(values, r * cols, cols, out));
        return out;
    }

    private static void bestRow(float[] values, int offset, int cols, float[] out) {
        float amax = 0;
        for (int c = 0; c < cols; c++) {
            amax = Math.max(amax, Math.abs(values[offset + c]));
        }
        float[] candidate = new float[cols];
        double bestError = Double.POSITIVE_INFINITY;
        for (int ratio = FIRST_RATIO; ratio >= LAST_RATIO; ratio--) {
            float scale = ratio / 100f * amax / Fp8E4M3.MAX;
            if (scale == 0f) {
                scale = 1f; // all-zero row (or amax underflowing): codes are ±0, as in the Quantizer
            }
            double error = 0;
            for (int c = 0; c < cols; c++) {
                float x = values[offset + c];
                candidate[c] = Fp8E4M3.toFloat(Fp8E4M3.fromFloat(x / scale)) * scale;
                double e = (double) x - candidate[c];
                error += e * e;
            }
            if (error < bestError) {
                bestError = error;
                System.arraycopy(candidate, 0, out, offset, cols);
            }
        }
    }
}
