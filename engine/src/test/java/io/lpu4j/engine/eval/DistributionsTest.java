package io.lpu4j.engine.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-computed values; the quantiles are numpy.percentile's (linear interpolation). */
class DistributionsTest {

    @Test
    void logSoftmaxOfEqualLogitsIsUniformEvenWhenHuge() {
        double[] logP = Distributions.logSoftmax(new float[] {1000f, 1000f, 1000f, 1000f});
        for (double l : logP) {
            assertEquals(-Math.log(4), l, 1e-15);
        }
    }

    @Test
    void klDivergenceOfTwoCoins() {
        // P = (0.5, 0.5), Q = (0.9, 0.1): KL(P‖Q) = 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1) = 0.5108256...
        double[] p = {Math.log(0.5), Math.log(0.5)};
        double[] q = {Math.log(0.9), Math.log(0.1)};
        assertEquals(0.5 * Math.log(0.5 / 0.9) + 0.5 * Math.log(5), Distributions.klDivergence(p, q), 1e-15);
        assertEquals(0.5108256237659907, Distributions.klDivergence(p, q), 1e-15);
        // Not symmetric: KL(Q‖P) = 0.9 ln 1.8 + 0.1 ln 0.2 = 0.3680642...
        assertEquals(0.9 * Math.log(1.8) + 0.1 * Math.log(0.2), Distributions.klDivergence(q, p), 1e-15);
        assertEquals(0.0, Distributions.klDivergence(p, p));
    }

    @Test
    void klIgnoresTokensTheReferenceRulesOut() {
        double[] p = {0, Double.NEGATIVE_INFINITY};
        double[] q = {Math.log(0.75), Math.log(0.25)};
        assertEquals(-Math.log(0.75), Distributions.klDivergence(p, q), 1e-15);
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        assertEquals(1, Distributions.argmax(new double[] {0, 3, 3, -1}));
    }

    @Test
    void perplexityOfAUniformGuessIsTheVocabularySize() {
        assertEquals(512, Distributions.perplexity(10 * Math.log(512), 10), 1e-9);
    }

    @Test
    void quantilesInterpolateLikeNumpy() {
        double[] values = {5, 1, 4, 2, 3}; // sorted 1..5
        assertEquals(1, Distributions.quantile(values, 0));
        assertEquals(5, Distributions.quantile(values, 1));
        assertEquals(3, Distributions.quantile(values, 0.5));
        assertEquals(4.96, Distributions.quantile(values, 0.99), 1e-12); // np.percentile([1..5], 99)
        assertEquals(0.0, Distributions.quantile(new double[] {0}, 0.99));
    }
}
