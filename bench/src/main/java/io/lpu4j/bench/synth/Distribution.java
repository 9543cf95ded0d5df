package io.lpu4j.bench.synth;

/**
 * How the values of one synthetic tensor are drawn: {@code mean + std · s_row · z}, where z is a
 * standard normal per element and {@code s_row = exp(rowSpread · z_row)} a log-normal factor per
 * row (output channel). Trained weight matrices have rows of unequal scale; the spread gives the
 * per-channel FP8 quantizer different scales to find, as real weights do.
 */
public record Distribution(double mean, double std, double rowSpread) {

    /** Linear layers: std 1/sqrt(fan_in) keeps each block's output near unit scale at any width. */
    static final double LINEAR_ROW_SPREAD = 0.2;
    /** Embeddings: N(0, 0.02²), Hugging Face's usual initializer_range. */
    static final double EMBEDDING_STD = 0.02;
    /** Norm weights: 1 with a little noise, so a kernel that ignores them is visible. */
    static final double NORM_NOISE = 0.05;
    /** Biases: small against the unit-scale projections they are added to, but not negligible. */
    static final double BIAS_STD = 0.1;

    static Distribution linear(int fanIn) {
        return new Distribution(0, 1 / Math.sqrt(fanIn), LINEAR_ROW_SPREAD);
    }

    static Distribution embedding() {
        return new Distribution(0, EMBEDDING_STD, 0);
    }

    static Distribution norm() {
        return new Distribution(1, NORM_NOISE, 0);
    }

    static Distribution bias() {
        return new Distribution(0, BIAS_STD, 0);
    }
}
