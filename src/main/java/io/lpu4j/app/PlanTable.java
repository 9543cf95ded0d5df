package io.lpu4j.app;

import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.ShardPlan;

import java.util.Locale;

/** {@code lpu plan}'s default output: a header line, one table row per shard, then the totals. */
final class PlanTable {
    private PlanTable() {
    }

    static String render(String model, Plan plan) {
        PlanSettings s = plan.settings();
        ModelConfig c = plan.config();
        PlanTotals totals = PlanTotals.of(plan);

        MarkdownTable shards = new MarkdownTable("shard>", "bytes>", "of budget>", "layers", "holds");
        for (ShardPlan shard : plan.shards()) {
            ShardContents contents = ShardContents.of(shard, plan);
            shards.row(Integer.toString(shard.index()), Units.count(shard.bytes()),
                    Units.percent((double) shard.bytes() / s.shardBudgetBytes()), contents.stages(), contents.holds());
        }

        String activations = s.format().activations().name().toLowerCase(Locale.ROOT);
        MarkdownTable sums = new MarkdownTable("totals", "")
                .row("shards", Integer.toString(totals.shards()))
                .row("weights", bytes(totals.weightBytes()))
                .row("tensors + scales", bytes(totals.tensorBytes()))
                .row("alignment padding", Units.count(totals.paddingBytes()) + " B (" + share(totals) + " of the weights)")
                .row("activation arena", bytes(totals.arenaBytes()) + " for batches of up to " + s.maxBatch() + " tokens")
                .row("KV cache", bytes(totals.kvCacheBytes()) + " for " + Units.count(s.contextLength())
                        + " positions in " + activations)
                .row("steps per forward pass", totals.steps() + " (the workers meet at a barrier after each)");

        return "lpu plan: " + model + " (" + c.modelType() + ", " + c.numLayers() + " layers) · "
                + s.format().flag() + " weights, " + embeddings(s) + " embeddings · budget "
                + Units.size(s.shardBudgetBytes()) + " per shard · " + s.threads() + " threads · context "
                + Units.count(s.contextLength()) + "\n\n" + shards.render() + "\n" + sums.render();
    }

    private static String embeddings(PlanSettings s) {
        return s.format().embeddingStorage(s.quantizeEmbeddings()).name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String bytes(long n) {
        return Units.count(n) + " B (" + Units.size(n) + ")";
    }

    private static String share(PlanTotals t) {
        double fraction = (double) t.paddingBytes() / t.weightBytes();
        return fraction > 0 && fraction < 0.001 ? "< 0.1%" : Units.percent(fraction);
    }
}
