package io.lpu4j.engine.eval;

/**
 * Totals over a text's next-token predictions of one format against the F32 reference's: the KL
 * divergence of each, how often the two agree on the most likely token, and the log-likelihood of
 * the text's actual next tokens.
 */
final class PredictionStats {
    private final double[] kl;
    private int count;
    private int agreements;
    private double negativeLogLikelihood;

    PredictionStats(int predictions) {
        this.kl = new double[predictions];
    }

    /**
     * @param reference log-probabilities under F32
     * @param format    log-probabilities under the format
     * @param target    the token that actually follows
     */
    void add(double[] reference, double[] format, int target) {
        kl[count++] = Distributions.klDivergence(reference, format);
        if (Distributions.argmax(reference) == Distributions.argmax(format)) {
            agreements++;
        }
        negativeLogLikelihood -= format[target];
    }

    DecoderRow row(String format, Runner runner, SqnrSummary sqnr) {
        if (count != kl.length) {
            throw new IllegalStateException(count + " of " + kl.length + " predictions were made");
        }
        double sum = 0;
        for (double d : kl) {
            sum += d;
        }
        return new DecoderRow(format, runner, sum / count, Distributions.quantile(kl, 0.99),
                (double) agreements / count, Distributions.perplexity(negativeLogLikelihood, count), sqnr);
    }
}
