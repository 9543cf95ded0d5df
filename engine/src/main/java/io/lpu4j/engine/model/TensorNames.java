package io.lpu4j.engine.model;

/** Hugging Face tensor names of the Llama family (llama, mistral, qwen2 share them). */
public final class TensorNames {
    public static final String EMBEDDING = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private TensorNames() {
    }

    public static String attentionNorm(int layer) {
        return layer(layer) + "input_layernorm.weight";
    }

    public static String mlpNorm(int layer) {
        return layer(layer) + "post_attention_layernorm.weight";
    }

    /** {@code q_proj}, {@code k_proj}, {@code v_proj} or {@code o_proj}, weight or bias. */
    public static String attention(int layer, String projection, String part) {
        return layer(layer) + "self_attn." + projection + "." + part;
    }

    /** {@code gate_proj}, {@code up_proj} or {@code down_proj}. */
    public static String mlp(int layer, String projection) {
        return layer(layer) + "mlp." + projection + ".weight";
    }

    private static String layer(int layer) {
        return "model.layers." + layer + ".";
    }
}
