package io.lpu4j.engine.plan;

import java.util.List;

/**
 * One step of the forward pass: a fused group of ops run by the whole team between two barriers.
 *
 * @param kind    what it does
 * @param layer   decoder layer, or -1
 * @param tensors the weights it reads, in order
 * @param split   how the work is divided among workers
 * @param bounds  for ROWS and HEADS: worker w does units [bounds[w], bounds[w+1]); empty for TOKENS
 */
public record StepPlan(StepKind kind, int layer, List<String> tensors, SplitUnit split, int[] bounds) {

    public StepPlan {
        tensors = List.copyOf(tensors);
        bounds = bounds.clone();
    }

    @Override
    public int[] bounds() {
        return bounds.clone();
    }

    /** The ops of each step, fused so that workers meet only where data must cross between them. */
    public enum StepKind {
        /** token ids → embedding rows → residual stream. */
        EMBED("embedding"),
        /** RMSNorm → q, k, v projections (+bias) → RoPE on q and k → KV cache. */
        QKV("norm, q/k/v, RoPE"),
        /** causal grouped-query attention over the KV cache. */
        ATTENTION("attention"),
        /** o projection (+bias) added to the residual stream. */
        OUTPUT("o, residual"),
        /** RMSNorm → gate and up projections → SiLU(gate) × up. */
        GATE_UP("norm, gate/up, SiLU"),
        /** down projection added to the residual stream. */
        DOWN("down, residual"),
        /** final RMSNorm → lm_head → logits. */
        LM_HEAD("final norm, lm_head");

        private final String ops;

        StepKind(String ops) {
            this.ops = ops;
        }

        /** The model ops this step performs, in order. */
        public String ops() {
            return ops;
        }
    }

    /** What the bounds count. */
    public enum SplitUnit { ROWS, HEADS, TOKENS }
}
