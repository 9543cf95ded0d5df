package io.lpu4j.weights;

/**
 * Signal-to-quantization-noise ratio in decibels: 10 · log10(Σ x² / Σ (x − x̂)²), x the original
 * weights and x̂ what the quantized ones stand for. Each term is formed and summed in double, in
 * row-major order, so the figure is reproducible to the last bit. Identical inputs give +∞ dB (no
 * noise); an all-zero signal with some noise gives −∞ dB.
 */
public final class Sqnr {
    private Sqnr() {
    }

    /** SQNR of {@code approximation} against {@code signal}, element by element. */
    public static double db(float[] signal, float[] approximation) {
        if (signal.length != approximation.length) {
            throw new IllegalArgumentException(signal.length + " signal values but " + approximation.length
                    + " approximations");
        }
        Sums sums = new Sums();
        sums.add(signal, approximation, signal.length);
        return sums.db();
    }

    /** SQNR of a quantized matrix against the tensor it was made from, streamed a row at a time. */
    public static double db(TensorView original, QuantizedTensor quantized) {
        long[] shape = original.shape();
        if (shape.length != 2 || shape[0] != quantized.rows() || shape[1] != quantized.cols()) {
            throw new IllegalArgumentException(original + " does not have the shape of " + quantized.name()
                    + " [" + quantized.rows() + ", " + quantized.cols() + "]");
        }
        int cols = quantized.cols();
        float[] signal = new float[cols];
        float[] approximation = new float[cols];
        Sums sums = new Sums();
        for (int r = 0; r < quantized.rows(); r++) {
            original.readFloats((long) r * cols, signal, 0, cols);
            quantized.dequantizeRow(r, approximation);
            sums.add(signal, approximation, cols);
        }
        return sums.db();
    }

    private static final class Sums {
        private double signal;
        private double noise;

        void add(float[] x, float[] xHat, int n) {
            for (int i = 0; i < n; i++) {
                double v = x[i];
                double e = v - xHat[i];
                signal += v * v;
                noise += e * e;
            }
        }

        double db() {
            return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
        }
    }
}
