package io.lpu4j.engine.eval;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.weights.Sqnr;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a weight transform and notes, for every matrix it is applied to, the SQNR of the result
 * against the original: the per-tensor numbers come from the very weights the model then runs.
 */
final class SqnrRecorder implements MatrixTransform {
    private final MatrixTransform transform;
    private final List<TensorSqnr> recorded = new ArrayList<>();

    SqnrRecorder(MatrixTransform transform) {
        this.transform = transform;
    }

    @Override
    public synchronized float[] apply(String name, float[] values, int rows, int cols) {
        float[] result = transform.apply(name, values, rows, cols);
        recorded.add(new TensorSqnr(name, Sqnr.db(values, result)));
        return result;
    }

    synchronized SqnrSummary summary() {
        return SqnrSummary.of(recorded);
    }
}
