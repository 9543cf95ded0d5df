package io.lpu4j.engine.plan;

import io.lpu4j.engine.model.ModelConfig;

import java.util.List;

/**
 * Everything about one forward pass that is fixed before the first token: the weights packed into
 * shards, the steps in execution order with each worker's share, the activation buffers and the
 * KV cache. A plan is data: it can be printed, written as JSON, plotted and compared. The executor
 * only runs it.
 *
 * @param buffers      the activation arena (shared by all workers)
 * @param arenaBytes   size of the activation arena
 * @param kvCacheBytes keys and values of every layer for {@code settings.contextLength()} positions
 */
public record Plan(ModelConfig config, PlanSettings settings, List<ShardPlan> shards, List<StepPlan> steps,
                   List<BufferPlan> buffers, long arenaBytes, long kvCacheBytes) {

    public Plan {
        shards = List.copyOf(shards);
        steps = List.copyOf(steps);
        buffers = List.copyOf(buffers);
    }

    /** Bytes of all shards together (weights, scales and alignment). */
    public long weightBytes() {
        return shards.stream().mapToLong(ShardPlan::bytes).sum();
    }

    /** The pieces of one tensor, in row order. */
    public List<TensorPlacement> placements(String tensor) {
        return shards.stream().flatMap(s -> s.placements().stream())
                .filter(p -> p.tensor().equals(tensor)).toList();
    }

    public BufferPlan buffer(String name) {
        return buffers.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no buffer " + name));
    }
}
