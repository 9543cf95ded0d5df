package io.lpu4j.engine.reference;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.model.WeightSource;
import io.lpu4j.weights.Checkpoint;


import static io.lpu4j.engine.model.TensorNames.*;

/**
 * Every weight of a Llama-family model as plain float arrays on the heap, row-major [out][in], checked
 * against the shapes the config implies. Simple and exact (F32, F16 and BF16 widen to float without
 * rounding; FP8 checkpoints dequantize as code × scale), and meant for small models: the fast path
 * keeps weights off-heap.
 */
record ReferenceWeights(float[] embedding, Layer[] layers, float[] finalNorm, float[] lmHead) {

    /** One decoder layer; biases are null when the model has none. */
    record Layer(float[] attentionNorm, float[] wq, float[] wk, float[] wv, float[] wo,
                 float[] bq, float[] bk, float[] bv, float[] bo,
                 float[] mlpNorm, float[] wGate, float[] wUp, float[] wDown) {
    }

    static ReferenceWeights load(Checkpoint checkpoint, ModelConfig c, ReferenceNumerics numerics) {
        Loader in = new Loader(new WeightSource(checkpoint, c), numerics.linear(), numerics.embeddings());
        int dim = c.hiddenSize();
        Layer[] layers = new Layer[c.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new Layer(
                    in.vector(attentionNorm(l), dim),
                    in.linear(attention(l, "q_proj", "weight"), c.queryDim(), dim),
                    in.linear(attention(l, "k_proj", "weight"), c.kvDim(), dim),
                    in.linear(attention(l, "v_proj", "weight"), c.kvDim(), dim),
                    in.linear(attention(l, "o_proj", "weight"), dim, c.queryDim()),
                    c.qkvBias() ? in.vector(attention(l, "q_proj", "bias"), c.queryDim()) : null,
                    c.qkvBias() ? in.vector(attention(l, "k_proj", "bias"), c.kvDim()) : null,
                    c.qkvBias() ? in.vector(attention(l, "v_proj", "bias"), c.kvDim()) : null,
                    c.outputBias() ? in.vector(attention(l, "o_proj", "bias"), dim) : null,
                    in.vector(mlpNorm(l), dim),
                    in.linear(mlp(l, "gate_proj"), c.intermediateSize(), dim),
                    in.linear(mlp(l, "up_proj"), c.intermediateSize(), dim),
                    in.linear(mlp(l, "down_proj"), dim, c.intermediateSize()));
        }
        float[] embedding = in.embedding(EMBEDDING, c.vocabSize(), dim);
        float[] lmHead = c.tiedEmbeddings() ? embedding : in.embedding(LM_HEAD, c.vocabSize(), dim);
        return new ReferenceWeights(embedding, layers, in.vector(FINAL_NORM, dim), lmHead);
    }

    private record Loader(WeightSource source, MatrixTransform linear, MatrixTransform embeddings) {

        float[] vector(String name, int size) {
            return source.floats(source.tensor(name, 1, size));
        }

        float[] embedding(String name, int rows, int cols) {
            return embeddings.apply(name, source.floats(source.tensor(name, rows, cols)), rows, cols);
        }

        float[] linear(String name, int rows, int cols) {
            return linear.apply(name, source.floats(source.tensor(name, rows, cols)), rows, cols);
        }
    }
}
