package io.lpu4j.app;

import io.lpu4j.engine.model.TensorNames;
import io.lpu4j.engine.plan.TensorPlacement;

/**
 * Where in the forward pass a weight is read: the embedding, one decoder layer, or the head (final
 * norm and lm_head). Stages order as execution does, so a shard's stages run from first to last.
 *
 * @param layer the decoder layer, or -1 for the embedding and head
 */
record Stage(Kind kind, int layer) implements Comparable<Stage> {

    enum Kind { EMBEDDING, LAYER, HEAD }

    static Stage of(TensorPlacement p) {
        if (p.layer() >= 0) {
            return new Stage(Kind.LAYER, p.layer());
        }
        return new Stage(p.tensor().equals(TensorNames.EMBEDDING) ? Kind.EMBEDDING : Kind.HEAD, -1);
    }

    /** Short label for tables and charts: {@code emb}, {@code 3}, {@code head}. */
    String label() {
        return switch (kind) {
            case EMBEDDING -> "emb";
            case LAYER -> Integer.toString(layer);
            case HEAD -> "head";
        };
    }

    @Override
    public int compareTo(Stage other) {
        int byKind = kind.compareTo(other.kind);
        return byKind != 0 ? byKind : Integer.compare(layer, other.layer);
    }
}
