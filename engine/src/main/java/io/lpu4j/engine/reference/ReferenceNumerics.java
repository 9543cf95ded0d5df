package io.lpu4j.engine.reference;

import io.lpu4j.engine.MatrixTransform;

/**
 * What the reference simulates besides exact F32: weights replaced as they load (quantized then
 * dequantized), and activations rounded to IEEE binary16 wherever the static executor stores them
 * in half precision. This is the "simple scalar implementation of the same numerics" that the fast
 * FP8/FP16 path is checked against, and what the accuracy report runs.
 *
 * @param linear          applied to q, k, v, o, gate, up, down weights
 * @param embeddings      applied to the embedding and lm_head matrices
 * @param halfActivations round matmul inputs, q/k/v (after RoPE), attention outputs and the MLP
 *                        hidden state to binary16; the residual stream and logits stay F32
 */
public record ReferenceNumerics(MatrixTransform linear, MatrixTransform embeddings, boolean halfActivations) {

    /** Only the linear layers' weights replaced. */
    public static ReferenceNumerics linearWeights(MatrixTransform linear) {
        return new ReferenceNumerics(linear, MatrixTransform.IDENTITY, false);
    }
}
