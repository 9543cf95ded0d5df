package io.lpu4j.engine.eval;

import java.util.Arrays;

/**
 * Next-token distributions from logits, in double: a model's logits are float, but KL divergences
 * of nearly equal distributions are differences of nearly equal logs, which float would swamp.
 */
public final class Distributions {
    private Distributions() {
    }

    /** log softmax(logits), with the maximum subtracted first so that exp cannot overflow. */
    public static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        // (z − max) − log Σ, not z − (max + log Σ): the latter loses the small term against a large max.
        double logSum = Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (logits[i] - max) - logSum;
        }
        return out;
    }

    /**
     * KL(P ‖ Q) = Σ_i p_i (log p_i − log q_i) in nats, from log-probabilities: the information lost
     * when the format's Q stands in for the reference P. Terms with p_i = 0 contribute 0.
     */
    public static double klDivergence(double[] logP, double[] logQ) {
        if (logP.length != logQ.length) {
            throw new IllegalArgumentException(logP.length + " vs " + logQ.length + " probabilities");
        }
        double kl = 0;
        for (int i = 0; i < logP.length; i++) {
            double p = Math.exp(logP[i]);
            if (p > 0) {
                kl += p * (logP[i] - logQ[i]);
            }
        }
        return kl;
    }

    /** Index of the largest value; the first one on ties. */
    public static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** exp(mean negative log-likelihood): the perplexity of a text whose tokens got these log-probabilities. */
    public static double perplexity(double sumOfNegativeLogLikelihoods, int count) {
        return Math.exp(sumOfNegativeLogLikelihoods / count);
    }

    /**
     * The q-quantile (0 ≤ q ≤ 1) by linear interpolation between closest ranks, as numpy's default:
     * position q · (n − 1) in the sorted values.
     */
    public static double quantile(double[] values, double q) {
        if (values.length == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile " + q + " of " + values.length + " values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
