package io.lpu4j.app;

import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.TensorPlacement;

/**
 * The sums a reader of a plan wants first.
 *
 * @param weightBytes  all shards together
 * @param tensorBytes  the weights' values and scales alone
 * @param paddingBytes what the 64-byte row and placement alignment adds ({@code weightBytes - tensorBytes})
 * @param steps        steps of one forward pass; the team meets at a barrier after each
 */
record PlanTotals(int shards, long weightBytes, long tensorBytes, long paddingBytes, long arenaBytes,
                  long kvCacheBytes, int steps) {

    static PlanTotals of(Plan plan) {
        long tensors = plan.shards().stream().flatMap(s -> s.placements().stream())
                .mapToLong(PlanTotals::valueAndScaleBytes).sum();
        return new PlanTotals(plan.shards().size(), plan.weightBytes(), tensors, plan.weightBytes() - tensors,
                plan.arenaBytes(), plan.kvCacheBytes(), plan.steps().size());
    }

    /** The piece's values without row padding, and its scales without alignment. */
    private static long valueAndScaleBytes(TensorPlacement p) {
        return (long) p.rowCount() * p.cols() * p.storage().elementBytes() + p.scalesBytes();
    }
}
