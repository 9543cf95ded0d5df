package io.lpu4j.engine.exec;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * An activation buffer → a projection (+ bias) → added to the F32 residual stream: the attention
 * output projection (o) and the MLP down projection. Each worker owns a range of output rows.
 */
final class ResidualStep extends Step {
    private final Workspace.Buffer input;
    private final PiecedMatrix projection;
    private final MemorySegment bias;
    private final int[] bounds;

    ResidualStep(Workspace ws, Workspace.Buffer input, PiecedMatrix projection, MemorySegment bias, int[] bounds) {
        super(ws);
        this.input = input;
        this.projection = projection;
        this.bias = bias;
        this.bounds = bounds.clone();
    }

    @Override
    void run(int worker, Pass pass) {
        Workspace.Worker me = ws.workers[worker];
        int tokens = pass.count;
        widenInto(me.input, input, tokens);
        int end = bounds[worker + 1];
        int chunk = Workspace.rowsPerCall(tokens, bounds[worker], end);
        for (int from = bounds[worker]; from < end; from += chunk) {
            int to = Math.min(end, from + chunk);
            int n = to - from;
            projection.multiply(from, to, me.input, tokens, me.outA, 0, n, me.kernel);
            for (int t = 0; t < tokens; t++) {
                long row = (long) t * ws.residual.stride();
                for (int i = 0; i < n; i++) {
                    float value = me.outA.getAtIndex(FLOAT, (long) t * n + i);
                    if (bias != null) {
                        value += bias.getAtIndex(FLOAT, from + i);
                    }
                    ws.residual.data().setAtIndex(FLOAT, row + from + i,
                            ws.residual.data().getAtIndex(FLOAT, row + from + i) + value);
                }
            }
        }
    }
}
