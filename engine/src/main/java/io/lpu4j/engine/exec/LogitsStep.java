package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.RmsNorm;

import java.lang.foreign.MemorySegment;

/** Final RMSNorm of the last token → lm_head → F32 logits; each worker owns a range of vocabulary rows. */
final class LogitsStep extends Step {
    private final MemorySegment norm;
    private final PiecedMatrix head;
    private final int[] bounds;

    LogitsStep(Workspace ws, MemorySegment norm, PiecedMatrix head, int[] bounds) {
        super(ws);
        this.norm = norm;
        this.head = head;
        this.bounds = bounds.clone();
    }

    @Override
    void run(int worker, Pass pass) {
        Workspace.Worker me = ws.workers[worker];
        RmsNorm.normalize(ws.residual.data(), (long) (pass.count - 1) * ws.residual.stride(), norm,
                ws.config.hiddenSize(), ws.config.rmsNormEps(), ws.half, me.input, 0);
        if (bounds[worker] < bounds[worker + 1]) {
            head.multiply(bounds[worker], bounds[worker + 1], me.input, 1, ws.logits.data(), bounds[worker],
                    bounds[worker + 1] - bounds[worker], me.kernel);
        }
    }
}
