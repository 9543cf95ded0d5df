package io.lpu4j.app;

import io.lpu4j.engine.model.TensorNames;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.ShardPlan;
import io.lpu4j.engine.plan.TensorPlacement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one shard holds, in words short enough for a table row: the stages it covers ({@code emb–1},
 * {@code 2–5}, {@code 20–head}) and its tensors, with runs of whole layers folded
 * ({@code L0–L3 whole}) and the row range of any tensor cut across shards
 * ({@code lm_head rows 0–56,191}).
 */
record ShardContents(String stages, String holds) {

    static ShardContents of(ShardPlan shard, Plan plan) {
        Map<Stage, List<TensorPlacement>> byStage = shard.placements().stream()
                .collect(Collectors.groupingBy(Stage::of, LinkedHashMap::new, Collectors.toList()));
        Map<Stage, Long> piecesInPlan = plan.shards().stream().flatMap(s -> s.placements().stream())
                .collect(Collectors.groupingBy(Stage::of, Collectors.counting()));

        List<String> parts = new ArrayList<>();
        List<Stage> wholeRun = new ArrayList<>();
        for (Map.Entry<Stage, List<TensorPlacement>> e : byStage.entrySet()) {
            Stage stage = e.getKey();
            List<TensorPlacement> pieces = e.getValue();
            // Split tensors have one piece per shard, so a stage is all here when all its pieces are.
            boolean whole = pieces.size() == piecesInPlan.get(stage) && pieces.stream().noneMatch(TensorPlacement::isPartial);
            if (stage.kind() == Stage.Kind.LAYER && whole) {
                wholeRun.add(stage);
                continue;
            }
            flushWholeLayers(wholeRun, parts);
            String tensors = pieces.stream().map(ShardContents::describe).collect(Collectors.joining(" "));
            parts.add(stage.kind() == Stage.Kind.LAYER ? "L" + stage.layer() + ": " + tensors : tensors);
        }
        flushWholeLayers(wholeRun, parts);

        List<Stage> stages = List.copyOf(byStage.keySet());
        return new ShardContents(range(stages.getFirst(), stages.getLast(), Stage::label), String.join("; ", parts));
    }

    private static void flushWholeLayers(List<Stage> run, List<String> parts) {
        if (!run.isEmpty()) {
            parts.add(range(run.getFirst(), run.getLast(), s -> "L" + s.layer()) + " whole");
            run.clear();
        }
    }

    private static String range(Stage first, Stage last, Function<Stage, String> label) {
        return first.equals(last) ? label.apply(first) : label.apply(first) + "–" + label.apply(last);
    }

    /** Short tensor name, with the rows held if the tensor is cut across shards (last row inclusive). */
    private static String describe(TensorPlacement p) {
        String name = shortName(p.tensor());
        return p.isPartial() ? name + " rows " + Units.count(p.rowFrom()) + "–" + Units.count(p.rowTo() - 1) : name;
    }

    /** {@code q}, {@code gate}, {@code q_bias}, {@code norm} inside a layer; {@code embedding}, {@code final_norm}, {@code lm_head} outside. */
    private static String shortName(String tensor) {
        return switch (tensor) {
            case TensorNames.EMBEDDING -> "embedding";
            case TensorNames.FINAL_NORM -> "final_norm";
            case TensorNames.LM_HEAD -> "lm_head";
            default -> {
                String local = tensor.replaceFirst("^model\\.layers\\.\\d+\\.", "");
                // A layer's two norms read in execution order: the one before q is attention's, before gate the MLP's.
                yield local.contains("layernorm") ? "norm"
                        : local.replaceFirst("^(self_attn|mlp)\\.", "").replace("_proj", "")
                        .replace(".weight", "").replace(".bias", "_bias");
            }
        };
    }
}
