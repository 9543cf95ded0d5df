package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.Activations;
import io.lpu4j.engine.kernel.VectorMath;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/** RMSNorm → gate and up projections → SiLU(gate) × up, rounded once into the MLP buffer. */
final class GateUpStep extends Step {
    private final MemorySegment norm;
    private final PiecedMatrix gate;
    private final PiecedMatrix up;
    private final int[] bounds;

    GateUpStep(Workspace ws, MemorySegment norm, PiecedMatrix gate, PiecedMatrix up, int[] bounds) {
        super(ws);
        this.norm = norm;
        this.gate = gate;
        this.up = up;
        this.bounds = bounds.clone();
    }

    @Override
    void run(int worker, Pass pass) {
        Workspace.Worker me = ws.workers[worker];
        int tokens = pass.count;
        normalizeInto(me.input, norm, tokens);
        int end = bounds[worker + 1];
        int chunk = Workspace.rowsPerCall(tokens, bounds[worker], end);
        for (int from = bounds[worker]; from < end; from += chunk) {
            int to = Math.min(end, from + chunk);
            int n = to - from;
            gate.multiply(from, to, me.input, tokens, me.outA, 0, n, me.kernel);
            up.multiply(from, to, me.input, tokens, me.outB, 0, n, me.kernel);
            VectorMath.siluTimes(me.outA, me.outB, (long) tokens * n);
            for (int t = 0; t < tokens; t++) {
                long row = (long) t * ws.mlp.stride();
                for (int i = 0; i < n; i++) {
                    Activations.store(ws.mlp.data(), row + from + i, ws.half, me.outA.getAtIndex(FLOAT, (long) t * n + i));
                }
            }
        }
    }
}
