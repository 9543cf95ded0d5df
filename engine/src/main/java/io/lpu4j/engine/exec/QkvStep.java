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
        int end = bounds[worker + 1];
        for (int unit = bounds[worker]; unit < end; ) {
            int kind = unit < queryHeads ? 0 : unit < queryHeads + kvHeads ? 1 : 2;
            int kindEnd = kind == 0 ? queryHeads : kind == 1 ? queryHeads + kvHeads : queryHeads + 2 * kvHeads;
            int first = kind == 0 ? unit : kind == 1 ? unit - queryHeads : unit - queryHeads - kvHeads;
            // One head per call for a batch; for one token, all of this kind's heads in the range at
            // once, as Workspace.rowsPerCall says why.
            int heads = tokens == 1 ? Math.min(end, kindEnd) - unit : 1;
            int n = heads * headDim;
            projections[kind].multiply(first * headDim, (first + heads) * headDim, me.input, tokens, me.outA, 0, n,
                    me.kernel);
            for (int h = 0; h < heads; h++) {
                store(kind, first + h, me.outA, h * headDim, n, pass);
            }
            unit += heads;
        }
    }

    /** One head's projection (rows at {@code at} + t·n of out for token t): + bias, RoPE, rounded to its buffer. */
    private void store(int kind, int head, MemorySegment out, int at, int n, Pass pass) {
        int headDim = ws.config.headDim();
        MemorySegment bias = biases[kind];
        for (int t = 0; t < pass.count; t++) {
            long from = (long) t * n + at;
            if (bias != null) {
                for (int i = 0; i < headDim; i++) {
                    out.setAtIndex(FLOAT, from + i,
                            out.getAtIndex(FLOAT, from + i) + bias.getAtIndex(FLOAT, (long) head * headDim + i));
                }
            }
            int pos = pass.position(t);
            if (kind != 2) {
                ws.rope.rotate(out, from, pos);
            }
            MemorySegment target = kind == 0 ? ws.q.data() : kind == 1 ? ws.keys : ws.values;
            long targetAt = kind == 0 ? (long) t * ws.q.stride() + (long) head * headDim : ws.cacheRow(layer, head, pos);
            for (int i = 0; i < headDim; i++) {
                Activations.store(target, targetAt + i, ws.half, out.getAtIndex(FLOAT, from + i));
            }
        }
    }
}
