package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.KernelScratch;
import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.Rope;
import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.ActivationType;
import io.lpu4j.engine.plan.BufferPlan;
import io.lpu4j.engine.plan.Plan;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * All memory a forward pass writes, allocated once, off-heap and 64-byte aligned: the activation
 * arena the plan describes, the KV cache, the RoPE tables, and each worker's private scratch.
 */
final class Workspace {
    /** Output rows computed per kernel call for a batch (a multiple of the prefill row tile). */
    static final int ROW_CHUNK = 64;

    final ModelConfig config;
    final boolean half;
    final int maxBatch;
    final int contextLength;
    final Rope rope;

    final Buffer residual;
    final Buffer q;
    final Buffer attention;
    final Buffer mlp;
    final Buffer logits;

    /** Keys and values: [layer][kvHead][position][cacheStride] in the activation type. */
    final MemorySegment keys;
    final MemorySegment values;
    final int cacheStride;

    final Worker[] workers;

    /** A shared buffer: rows of {@code stride} elements, one per token of the batch. */
    record Buffer(MemorySegment data, int width, int stride) {
    }

    /** One worker's private scratch. */
    static final class Worker {
        /** F32 input of the worker's matrix multiplies: maxBatch rows of padded(maxWidth). */
        final MemorySegment input;
        /** F32 outputs of one kernel call: maxBatch × chunk each, and at least one token's maxWidth rows. */
        final MemorySegment outA;
        final MemorySegment outB;
        /** Attention: one query head in F32, its output, the scores over the context, and one kv head's widened cache. */
        final MemorySegment query;
        final MemorySegment headOut;
        final MemorySegment scores;
        final MemorySegment keys;
        final MemorySegment values;
        final KernelScratch kernel;

        Worker(Arena arena, int maxBatch, int maxWidth, int chunk, int headDim, int contextLength) {
            input = arena.allocate((long) maxBatch * Lanes.padded(maxWidth) * Float.BYTES, 64);
            long outputs = Math.max((long) maxBatch * chunk, Lanes.padded(maxWidth));
            outA = arena.allocate(outputs * Float.BYTES, 64);
            outB = arena.allocate(outputs * Float.BYTES, 64);
            query = arena.allocate((long) Lanes.padded(headDim) * Float.BYTES, 64);
            headOut = arena.allocate((long) Lanes.padded(headDim) * Float.BYTES, 64);
            scores = arena.allocate((long) Lanes.padded(contextLength) * Float.BYTES, 64);
            keys = arena.allocate((long) contextLength * Lanes.padded(headDim) * Float.BYTES, 64);
            values = arena.allocate((long) contextLength * Lanes.padded(headDim) * Float.BYTES, 64);
            kernel = new KernelScratch(arena, maxWidth);
        }
    }

    /**
     * Output rows per kernel call in the worker range [from, to): {@link #ROW_CHUNK} for a batch; the
     * whole range for one token, so the one-token kernels can stream its two halves at once
     * ({@code RowMatrix.multiplyOneToken}: two streams far apart read faster than one).
     */
    static int rowsPerCall(int tokens, int from, int to) {
        return tokens == 1 ? Math.max(1, to - from) : ROW_CHUNK;
    }

    Workspace(Plan plan, Arena arena) {
        this.config = plan.config();
        ActivationType act = plan.settings().format().activations();
        this.half = act == ActivationType.F16;
        this.maxBatch = plan.settings().maxBatch();
        this.contextLength = plan.settings().contextLength();
        this.rope = new Rope(config, contextLength, arena);

        MemorySegment arenaMemory = arena.allocate(plan.arenaBytes(), 64);
        this.residual = buffer(plan.buffer("residual"), arenaMemory);
        this.q = buffer(plan.buffer("q"), arenaMemory);
        this.attention = buffer(plan.buffer("attention"), arenaMemory);
        this.mlp = buffer(plan.buffer("mlp"), arenaMemory);
        this.logits = buffer(plan.buffer("logits"), arenaMemory);

        this.cacheStride = RowLayout.stride(config.headDim(), act.bytes());
        long cacheBytes = (long) config.numLayers() * config.numKvHeads() * contextLength * cacheStride * act.bytes();
        // Attention streams the whole cache of a layer for every token, as the products stream weights.
        this.keys = HugePages.allocate(arena, cacheBytes, 64);
        this.values = HugePages.allocate(arena, cacheBytes, 64);

        int maxWidth = Math.max(config.hiddenSize(), Math.max(config.queryDim(), config.intermediateSize()));
        int chunk = Math.max(ROW_CHUNK, config.headDim());
        this.workers = new Worker[plan.settings().threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(arena, maxBatch, maxWidth, chunk, config.headDim(), contextLength);
        }
    }

    private static Buffer buffer(BufferPlan plan, MemorySegment arena) {
        int stride = RowLayout.stride(plan.width(), plan.type().bytes());
        return new Buffer(arena.asSlice(plan.offset(), plan.bytes()), plan.width(), stride);
    }

    /** Element index of position {@code pos} of kv head {@code kvHead} in layer {@code layer}'s cache. */
    long cacheRow(int layer, int kvHead, int pos) {
        return (((long) layer * config.numKvHeads() + kvHead) * contextLength + pos) * cacheStride;
    }
}
