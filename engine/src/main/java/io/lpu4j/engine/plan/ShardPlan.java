package io.lpu4j.engine.plan;

import java.util.List;

/** One "chip": a contiguous block of at most the budget, holding placements in execution order. */
public record ShardPlan(int index, long bytes, List<TensorPlacement> placements) {
    public ShardPlan {
        placements = List.copyOf(placements);
    }

    /** Lowest and highest decoder layer with weights here (-1 for embedding / head only). */
    public int firstLayer() {
        return placements.stream().mapToInt(TensorPlacement::layer).filter(l -> l >= 0).min().orElse(-1);
    }

    public int lastLayer() {
        return placements.stream().mapToInt(TensorPlacement::layer).max().orElse(-1);
    }
}
