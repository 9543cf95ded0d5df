package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.Activations;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * RMSNorm → q, k, v projections (+ bias) → RoPE on q and k → q to its buffer, k and v into the KV
 * cache. Work is dealt in whole heads, so each worker can rotate the pairs (i, i + headDim/2) of its
 * heads in F32 and round to the activation type only once.
 */
final class QkvStep extends Step {
    private final int layer;
    private final MemorySegment norm;
    private final PiecedMatrix[] projections;
    private final MemorySegment[] biases;
    private final int[] bounds;

    /** @param biases q, k, v biases (F32) or nulls */
    QkvStep(Workspace ws, int layer, MemorySegment norm, PiecedMatrix[] projections, MemorySegment[] biases,
            int[] bounds) {
        super(ws);
        this.layer = layer;
        this.norm = norm;
        this.projections = projections.clone();
        this.biases = biases.clone();
        this.bounds = bounds.clone();
    }

    @Override
    void run(int worker, Pass pass) {
        Workspace.Worker me = ws.workers[worker];
        int tokens = pass.count;
        normalizeInto(me.input, norm, tokens);
        int headDim = ws.config.headDim();
        int queryHeads = ws.config.numHeads();
        int kvHeads = ws.config.numKvHeads();
        for (int unit = bounds[worker]; unit < bounds[worker + 1]; unit++) {
            int kind = unit < queryHeads ? 0 : unit < queryHeads + kvHeads ? 1 : 2;
            int head = kind == 0 ? unit : kind == 1 ? unit - queryHeads : unit - queryHeads - kvHeads;
            projections[kind].multiply(head * headDim, (head + 1) * headDim, me.input, tokens, me.outA, 0, headDim,
                    me.kernel);
            for (int t = 0; t < tokens; t++) {
                long at = (long) t * headDim;
                if (biases[kind] != null) {
                    for (int i = 0; i < headDim; i++) {
                        me.outA.setAtIndex(FLOAT, at + i,
                                me.outA.getAtIndex(FLOAT, at + i) + biases[kind].getAtIndex(FLOAT, (long) head * headDim + i));
                    }
                }
                int pos = pass.position(t);
                if (kind != 2) {
                    ws.rope.rotate(me.outA, at, pos);
                }
                MemorySegment target = kind == 0 ? ws.q.data() : kind == 1 ? ws.keys : ws.values;
                long targetAt = kind == 0 ? (long) t * ws.q.stride() + (long) head * headDim
                        : ws.cacheRow(layer, head, pos);
                for (int i = 0; i < headDim; i++) {
                    Activations.store(target, targetAt + i, ws.half, me.outA.getAtIndex(FLOAT, at + i));
                }
            }
        }
    }
}
