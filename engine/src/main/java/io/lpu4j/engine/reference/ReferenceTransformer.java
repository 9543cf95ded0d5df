package io.lpu4j.engine.reference;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.weights.Checkpoint;

/**
 * The plain FP32 forward pass of a Llama-family decoder (llama, mistral, qwen2), one token at a time,
 * with a KV cache: the reference every faster path is checked against. It reads like the paper:
 * RMSNorm → q/k/v (+bias) → rotate-half RoPE → grouped-query attention → o → residual →
 * RMSNorm → SiLU(gate) × up → down → residual; final RMSNorm → lm_head.
 *
 * <p>Numerics: float32 weights and activations, as llama2.c's run.c; but every dot product and sum
 * runs in index order with a double accumulator, rounded to float once. That makes the reference
 * closer to exact than any float32 kernel can be, which is what a yardstick should be (measured on
 * stories260K: 1.5e-5 from run.c, 0.9e-5 from the F32 static executor).
 */
public final class ReferenceTransformer implements CausalLM {
    private final ModelConfig c;
    private final ReferenceWeights w;
    private final boolean half;
    private final int contextLength;
    private final float[] inverseFrequencies;

    // KV cache: [layer][position * kvDim + kvHead * headDim + i]
    private final float[][] keyCache;
    private final float[][] valueCache;

    // Activations of the token in flight.
    private final float[] x;        // residual stream [hidden]
    private final float[] xb;       // normed input of a block [hidden]
    private final float[] q;        // [queryDim]
    private final float[] k;        // [kvDim]
    private final float[] v;        // [kvDim]
    private final float[] attended; // attention output before o_proj [queryDim]
    private final float[] projected;// o_proj / down_proj output [hidden]
    private final float[] gate;     // [intermediate]
    private final float[] up;       // [intermediate]
    private final float[] scores;   // [contextLength]
    private final float[] logits;   // [vocab]

    private ReferenceTransformer(ModelConfig c, ReferenceWeights w, int contextLength, boolean half) {
        this.c = c;
        this.w = w;
        this.half = half;
        this.contextLength = contextLength;
        this.inverseFrequencies = c.ropeScaling().inverseFrequencies(c.headDim(), c.ropeTheta());
        this.keyCache = new float[c.numLayers()][contextLength * c.kvDim()];
        this.valueCache = new float[c.numLayers()][contextLength * c.kvDim()];
        this.x = new float[c.hiddenSize()];
        this.xb = new float[c.hiddenSize()];
        this.q = new float[c.queryDim()];
        this.k = new float[c.kvDim()];
        this.v = new float[c.kvDim()];
        this.attended = new float[c.queryDim()];
        this.projected = new float[c.hiddenSize()];
        this.gate = new float[c.intermediateSize()];
        this.up = new float[c.intermediateSize()];
        this.scores = new float[contextLength];
        this.logits = new float[c.vocabSize()];
    }

    /**
     * Loads all weights into heap arrays (the checkpoint may be closed afterwards).
     *
     * @param linear applied to each linear layer's weight as loaded (identity for the true FP32 reference)
     */
    public static ReferenceTransformer load(Checkpoint checkpoint, ModelConfig config, int contextLength,
                                            MatrixTransform linear) {
        return load(checkpoint, config, contextLength, ReferenceNumerics.linearWeights(linear));
    }

    /** Loads with simulated numerics (quantized weights, half-precision activations). */
    public static ReferenceTransformer load(Checkpoint checkpoint, ModelConfig config, int contextLength,
                                            ReferenceNumerics numerics) {
        return new ReferenceTransformer(config, ReferenceWeights.load(checkpoint, config, numerics), contextLength,
                numerics.halfActivations());
    }

    @Override
    public ModelConfig config() {
        return c;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    @Override
    public float[] logits() {
        return logits;
    }

    @Override
    public void forward(int[] tokens, int count, int start, LogitsListener everyPosition) {
        for (int i = 0; i < count; i++) {
            forwardOne(tokens[i], start + i);
            if (everyPosition != null) {
                everyPosition.onLogits(start + i, logits);
            }
        }
    }

    private void forwardOne(int token, int pos) {
        int dim = c.hiddenSize();
        int headDim = c.headDim();
        int kvDim = c.kvDim();
        int headsPerKv = c.numHeads() / c.numKvHeads();
        System.arraycopy(w.embedding(), token * dim, x, 0, dim);

        for (int l = 0; l < c.numLayers(); l++) {
            ReferenceWeights.Layer layer = w.layers()[l];

            // Attention block.
            rmsNorm(xb, x, layer.attentionNorm());
            roundToHalf(xb);
            matVec(q, layer.wq(), xb, layer.bq());
            matVec(k, layer.wk(), xb, layer.bk());
            matVec(v, layer.wv(), xb, layer.bv());
            for (int h = 0; h < c.numHeads(); h++) {
                rotateHalf(q, h * headDim, pos);
            }
            for (int h = 0; h < c.numKvHeads(); h++) {
                rotateHalf(k, h * headDim, pos);
            }
            roundToHalf(q);
            roundToHalf(k);
            roundToHalf(v);
            System.arraycopy(k, 0, keyCache[l], pos * kvDim, kvDim);
            System.arraycopy(v, 0, valueCache[l], pos * kvDim, kvDim);

            float scale = (float) (1.0 / Math.sqrt(headDim));
            for (int h = 0; h < c.numHeads(); h++) {
                int kvOffset = (h / headsPerKv) * headDim;
                for (int t = 0; t <= pos; t++) {
                    double dot = 0;
                    for (int i = 0; i < headDim; i++) {
                        dot += (double) q[h * headDim + i] * keyCache[l][t * kvDim + kvOffset + i];
                    }
                    scores[t] = (float) dot * scale;
                }
                softmax(scores, pos + 1);
                for (int i = 0; i < headDim; i++) {
                    double sum = 0;
                    for (int t = 0; t <= pos; t++) {
                        sum += (double) scores[t] * valueCache[l][t * kvDim + kvOffset + i];
                    }
                    attended[h * headDim + i] = (float) sum;
                }
            }
            roundToHalf(attended);
            matVec(projected, layer.wo(), attended, layer.bo());
            for (int i = 0; i < dim; i++) {
                x[i] += projected[i];
            }

            // MLP block: down(silu(gate(x)) * up(x)).
            rmsNorm(xb, x, layer.mlpNorm());
            roundToHalf(xb);
            matVec(gate, layer.wGate(), xb, null);
            matVec(up, layer.wUp(), xb, null);
            for (int i = 0; i < gate.length; i++) {
                float g = gate[i];
                gate[i] = g / (1f + (float) Math.exp(-g)) * up[i];
            }
            roundToHalf(gate);
            matVec(projected, layer.wDown(), gate, null);
            for (int i = 0; i < dim; i++) {
                x[i] += projected[i];
            }
        }

        rmsNorm(x, x, w.finalNorm());
        roundToHalf(x);
        matVec(logits, w.lmHead(), x, null);
    }

    /** With simulated half-precision activations, rounds each value to binary16 (nearest even). */
    private void roundToHalf(float[] values) {
        if (half) {
            for (int i = 0; i < values.length; i++) {
                values[i] = Float.float16ToFloat(Float.floatToFloat16(values[i]));
            }
        }
    }

    /** out = x / sqrt(mean(x²) + eps) * weight. */
    private void rmsNorm(float[] out, float[] in, float[] weight) {
        double sumSquares = 0;
        for (float value : in) {
            sumSquares += (double) value * value;
        }
        float inverseRms = (float) (1.0 / Math.sqrt(sumSquares / in.length + c.rmsNormEps()));
        for (int i = 0; i < in.length; i++) {
            out[i] = weight[i] * (inverseRms * in[i]);
        }
    }

    /** out[r] = Σ_i w[r][i] · in[i] (+ bias[r]), w row-major [out.length][in.length]. */
    private static void matVec(float[] out, float[] w, float[] in, float[] bias) {
        int cols = in.length;
        for (int r = 0; r < out.length; r++) {
            double sum = 0;
            int row = r * cols;
            for (int i = 0; i < cols; i++) {
                sum += (double) w[row + i] * in[i];
            }
            out[r] = bias == null ? (float) sum : (float) sum + bias[r];
        }
    }

    /**
     * Hugging Face rotate-half RoPE on one head at {@code offset}: element i pairs with i + headDim/2,
     * both turned by the angle pos × inverseFrequency[i].
     */
    private void rotateHalf(float[] vec, int offset, int pos) {
        int half = c.headDim() / 2;
        for (int i = 0; i < half; i++) {
            float angle = pos * inverseFrequencies[i];
            float cos = (float) Math.cos(angle);
            float sin = (float) Math.sin(angle);
            float a = vec[offset + i];
            float b = vec[offset + i + half];
            vec[offset + i] = a * cos - b * sin;
            vec[offset + i + half] = b * cos + a * sin;
        }
    }

    /** In-place softmax of values[0..n), subtracting the max first so exp cannot overflow. */
    private static void softmax(float[] values, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, values[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            values[i] = (float) Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < n; i++) {
            values[i] = (float) (values[i] / sum);
        }
    }

    @Override
    public void close() {
        // Heap arrays only: nothing to release.
    }
}
