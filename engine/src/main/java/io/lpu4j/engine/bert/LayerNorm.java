package io.lpu4j.engine.bert;

/**
 * Layer normalization over one token vector: y = (x − mean) / √(variance + eps) · weight + bias.
 *
 * <p>Mean and variance are accumulated in double, the variance about the mean (two passes), and
 * only the result is rounded to float. Why: measured on all-MiniLM-L6-v2, this agrees with
 * onnxruntime at least as well as float accumulation (either as two passes or as E[x²] − mean²,
 * which onnxruntime's own kernel uses), and it stays closer to a float64 evaluation of the model.
 *
 * @param weight per-feature scale (gamma)
 * @param bias   per-feature shift (beta)
 * @param eps    added to the variance, from the config's {@code layer_norm_eps}
 */
record LayerNorm(float[] weight, float[] bias, float eps) {

    /** Normalizes {@code x} in place. */
    void applyInPlace(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = sum / x.length;
        double squares = 0;
        for (float v : x) {
            squares += (v - mean) * (v - mean);
        }
        double inverseStd = 1 / Math.sqrt(squares / x.length + eps);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((x[i] - mean) * inverseStd) * weight[i] + bias[i];
        }
    }
}
