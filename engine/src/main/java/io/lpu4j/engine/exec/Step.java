package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.Activations;
import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.RmsNorm;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * One compiled step of the plan: every worker calls {@link #run} with its index, and does exactly the
 * share the plan gave it. Steps hold direct references to their weights and buffers; running one
 * allocates nothing.
 */
abstract class Step {
    protected final Workspace ws;

    Step(Workspace ws) {
        this.ws = ws;
    }

    abstract void run(int worker, Pass pass);

    /**
     * RMSNorm of every token's residual row into the worker's F32 input (rounded to the activation
     * type). Each worker normalizes all tokens itself: a few microseconds of duplicate work that saves
     * a barrier, and every worker gets the same bits.
     */
    protected final void normalizeInto(MemorySegment input, MemorySegment weight, int tokens) {
        int dim = ws.config.hiddenSize();
        for (int t = 0; t < tokens; t++) {
            RmsNorm.normalize(ws.residual.data(), (long) t * ws.residual.stride(), weight, dim,
                    ws.config.rmsNormEps(), ws.half, input, (long) t * Lanes.padded(dim));
        }
    }

    /** Widens every token's row of an activation buffer into the worker's F32 input, zero-padded. */
    protected final void widenInto(MemorySegment input, Workspace.Buffer buffer, int tokens) {
        int width = buffer.width();
        int padded = Lanes.padded(width);
        for (int t = 0; t < tokens; t++) {
            Activations.widen(buffer.data(), (long) t * buffer.stride(), ws.half, input, (long) t * padded, width);
            for (int i = width; i < padded; i++) {
                input.setAtIndex(FLOAT, (long) t * padded + i, 0f);
            }
        }
    }
}
