package io.lpu4j.engine.bert;

/**
 * A dense layer y = W·x + b with W stored as PyTorch stores it: row-major [out × in], so each output
 * is one contiguous dot product.
 *
 * @param weight [outFeatures × inFeatures], row-major
 * @param bias   [outFeatures]
 */
record Linear(float[] weight, float[] bias) {

    int outFeatures() {
        return bias.length;
    }

    int inFeatures() {
        return weight.length / bias.length;
    }

    /** y = W·x + b for one token vector. */
    float[] apply(float[] x) {
        int in = inFeatures();
        float[] y = new float[outFeatures()];
        for (int o = 0; o < y.length; o++) {
            y[o] = Dot.dot(weight, o * in, x, 0, in) + bias[o];
        }
        return y;
    }

    /** {@link #apply(float[])} for every token vector of a sequence. */
    float[][] apply(float[][] xs) {
        float[][] ys = new float[xs.length][];
        for (int t = 0; t < xs.length; t++) {
            ys[t] = apply(xs[t]);
        }
        return ys;
    }
}
