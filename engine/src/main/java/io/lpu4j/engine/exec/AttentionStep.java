package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.Activations;
import io.lpu4j.engine.kernel.Attention;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * Causal grouped-query attention. Each worker takes whole query heads (the same for every token);
 * for each kv head its query heads use, it widens the cached keys and values once, then attends
 * every one of its query heads of that group, for every token of the pass.
 */
final class AttentionStep extends Step {
    private final int layer;
    private final int[] bounds;
    private final float scale;

    AttentionStep(Workspace ws, int layer, int[] bounds) {
        super(ws);
        this.layer = layer;
        this.bounds = bounds.clone();
        this.scale = (float) (1.0 / Math.sqrt(ws.config.headDim()));
    }

    @Override
    void run(int worker, Pass pass) {
        Workspace.Worker me = ws.workers[worker];
        int headDim = ws.config.headDim();
        int headsPerKv = ws.config.numHeads() / ws.config.numKvHeads();
        int positions = pass.position(pass.count - 1) + 1;
        int first = bounds[worker];
        int last = bounds[worker + 1];
        for (int h = first; h < last; ) {
            int kvHead = h / headsPerKv;
            int groupEnd = Math.min(last, (kvHead + 1) * headsPerKv);
            Attention.widen(ws.keys, ws.values, ws.cacheRow(layer, kvHead, 0), ws.cacheStride, ws.half, positions, headDim,
                    me.keys, me.values);
            for (; h < groupEnd; h++) {
                for (int t = 0; t < pass.count; t++) {
                    long qAt = (long) t * ws.q.stride() + (long) h * headDim;
                    Activations.widen(ws.q.data(), qAt, ws.half, me.query, 0, headDim);
                    Attention.head(me.query, 0, me.keys, me.values, pass.position(t) + 1, headDim, scale,
                            me.scores, me.headOut, 0, me.kernel);
                    long outAt = (long) t * ws.attention.stride() + (long) h * headDim;
                    for (int i = 0; i < headDim; i++) {
                        Activations.store(ws.attention.data(), outAt + i, ws.half, me.headOut.getAtIndex(FLOAT, i));
                    }
                }
            }
        }
    }
}
