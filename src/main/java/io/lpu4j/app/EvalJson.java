package io.lpu4j.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lpu4j.engine.eval.TensorSqnr;

import java.util.Locale;

/**
 * The report as one JSON object: method, model, input, and a row per format with every metric
 * and its per-tensor SQNR. Values that do not apply are null; an infinite SQNR (an exactly
 * representable tensor) is null too, since JSON has no infinity.
 */
final class EvalJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvalJson() {
    }

    static String json(EvalView view) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", view.model());
        root.put("kind", view.kind());
        root.put("method", view.method());
        root.set("input", JSON.valueToTree(view.input()));
        ArrayNode rows = root.putArray("rows");
        for (EvalView.Line line : view.lines()) {
            ObjectNode row = rows.addObject();
            row.put("label", line.label());
            row.put("format", line.format());
            row.put("runner", line.runner().name().toLowerCase(Locale.ROOT));
            for (EvalView.Column column : view.columns()) {
                putFinite(row, column.key(), view.value(line, column));
            }
            if (line.sqnr() != null) {
                ArrayNode tensors = row.putArray("sqnr_db_per_tensor");
                for (TensorSqnr t : line.sqnr().tensors()) {
                    putFinite(tensors.addObject().put("tensor", t.tensor()), "db", t.db());
                }
            }
        }
        return root.toPrettyString();
    }

    private static void putFinite(ObjectNode node, String key, Double value) {
        if (value == null || !Double.isFinite(value)) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }
}
