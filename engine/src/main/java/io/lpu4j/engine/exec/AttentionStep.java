package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.Activations;
import io.lpu4j.engine.kernel.Attention;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/** Causal grouped-query attention; each worker takes whole query heads for every token. */
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
        for (int t = 0; t < pass.count; t++) {
            int pos = pass.position(t);
            for (int h = bounds[worker]; h < bounds[worker + 1]; h++) {
                long qAt = (long) t * ws.q.stride() + (long) h * headDim;
                Activations.widen(ws.q.data(), qAt, ws.half, me.query, 0, headDim);
                Attention.head(me.query, 0, ws.keys, ws.values, ws.cacheRow(layer, h / headsPerKv, 0), ws.cacheStride,
                        ws.half, pos + 1, headDim, scale, me.scores, me.headOut, 0, me.kernel);
                long outAt = (long) t * ws.attention.stride() + (long) h * headDim;
                for (int i = 0; i < headDim; i++) {
                    Activations.store(ws.attention.data(), outAt + i, ws.half, me.headOut.getAtIndex(FLOAT, i));
                }
            }
        }
    }
}
