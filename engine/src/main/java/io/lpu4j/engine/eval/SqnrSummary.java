package io.lpu4j.engine.eval;

import java.util.List;

/**
 * The SQNR of every weight matrix a format changed, with the mean (of the dB values) and the
 * minimum (the worst tensor).
 */
public record SqnrSummary(double meanDb, double minDb, List<TensorSqnr> tensors) {

    public SqnrSummary {
        tensors = List.copyOf(tensors);
    }

    static SqnrSummary of(List<TensorSqnr> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("no tensor was transformed");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        for (TensorSqnr t : tensors) {
            sum += t.db();
            min = Math.min(min, t.db());
        }
        return new SqnrSummary(sum / tensors.size(), min, tensors);
    }
}
