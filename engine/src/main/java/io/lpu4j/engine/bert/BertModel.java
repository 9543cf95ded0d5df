package io.lpu4j.engine.bert;

import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.TensorView;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The FP32 reference forward pass of a BERT encoder (Devlin et al. 2018, as Hugging Face's
 * {@code BertModel} computes it) and the sentence embedding sentence-transformers builds on it.
 *
 * <p>Data layout: one sequence at a time; a sequence of T tokens is a {@code float[T][hidden]}, one
 * row per token. Weights are float arrays in the checkpoint's own row-major layout. Every value is a
 * float; only the error function, LayerNorm statistics and softmax exponentials are evaluated in
 * double before rounding back.
 *
 * <p>Per layer (post-LayerNorm, as in the original BERT):
 * <pre>
 *   x = LayerNorm(x + Wo · Attention(Wq·x, Wk·x, Wv·x))
 *   x = LayerNorm(x + W2 · gelu(W1 · x))
 * </pre>
 * Instances are immutable and may be used from several threads.
 */
public final class BertModel {
    /**
     * Added to the attention score of every key whose mask is 0, as Hugging Face and the ONNX export
     * do. Its exact value does not matter as long as it is large: a masked score then lies far below
     * the row's maximum, and float exp of anything below about −104 is exactly 0. So −10000 (older
     * Hugging Face, ONNX exports), −1e9 and −Float.MAX_VALUE (torch.finfo.min, newer Hugging Face)
     * all give bit-identical outputs here, and all reproduce onnxruntime at padded positions too;
     * only a small bias such as −20 lets padding leak into the attention.
     */
    private static final float MASKED_KEY_BIAS = -10000f;
    private static final double SQRT_2 = Math.sqrt(2);

    private final BertConfig config;
    private final Pooling pooling;
    private final float[] wordEmbeddings;      // [vocabSize × hidden]
    private final float[] positionEmbeddings;  // [maxPositions × hidden]
    private final float[] typeEmbeddings;      // [typeVocabSize × hidden]
    private final LayerNorm embeddingNorm;
    private final Layer[] layers;

    /** The weights of one encoder layer, named after the Hugging Face modules they come from. */
    private record Layer(Linear query, Linear key, Linear value, Linear attentionOutput, LayerNorm attentionNorm,
                         Linear intermediate, Linear output, LayerNorm outputNorm) {
    }

    private BertModel(BertConfig config, Pooling pooling, float[] wordEmbeddings, float[] positionEmbeddings,
                      float[] typeEmbeddings, LayerNorm embeddingNorm, Layer[] layers) {
        this.config = config;
        this.pooling = pooling;
        this.wordEmbeddings = wordEmbeddings;
        this.positionEmbeddings = positionEmbeddings;
        this.typeEmbeddings = typeEmbeddings;
        this.embeddingNorm = embeddingNorm;
        this.layers = layers;
    }

    /** Loads the model in {@code modelDir} with its weights as stored. */
    public static BertModel load(Path modelDir) {
        return load(modelDir, MatrixTransform.IDENTITY);
    }

    /**
     * Loads the model in {@code modelDir}: {@code config.json}, {@code model.safetensors} (Hugging Face
     * tensor names) and the sentence-transformers pooling files (see {@link Pooling}).
     *
     * @param linearWeights applied to the six linear weight matrices of every layer (query, key,
     *                      value, attention output, intermediate, output), not to embeddings, biases
     *                      or LayerNorms
     * @throws InvalidModelException if the config is unsupported or a tensor is missing or mis-shaped
     */
    public static BertModel load(Path modelDir, MatrixTransform linearWeights) {
        BertConfig config = BertConfig.read(modelDir);
        Pooling pooling = Pooling.read(modelDir, config.hiddenSize());
        try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
            Weights weights = new Weights(checkpoint, config, linearWeights);
            int hidden = config.hiddenSize();
            Layer[] layers = new Layer[config.numLayers()];
            for (int l = 0; l < layers.length; l++) {
                String p = "encoder.layer." + l + ".";
                layers[l] = new Layer(
                        weights.linear(p + "attention.self.query", hidden, hidden),
                        weights.linear(p + "attention.self.key", hidden, hidden),
                        weights.linear(p + "attention.self.value", hidden, hidden),
                        weights.linear(p + "attention.output.dense", hidden, hidden),
                        weights.layerNorm(p + "attention.output.LayerNorm"),
                        weights.linear(p + "intermediate.dense", config.intermediateSize(), hidden),
                        weights.linear(p + "output.dense", hidden, config.intermediateSize()),
                        weights.layerNorm(p + "output.LayerNorm"));
            }
            return new BertModel(config, pooling,
                    weights.tensor("embeddings.word_embeddings.weight", config.vocabSize(), hidden),
                    weights.tensor("embeddings.position_embeddings.weight", config.maxPositions(), hidden),
                    weights.tensor("embeddings.token_type_embeddings.weight", config.typeVocabSize(), hidden),
                    weights.layerNorm("embeddings.LayerNorm"),
                    layers);
        }
    }

    public BertConfig config() {
        return config;
    }

    public Pooling pooling() {
        return pooling;
    }

    /**
     * The encoder output for one sequence: [seqLen][hidden], a row for every position, padded ones
     * included (they attend to the unmasked tokens like any other).
     *
     * @param ids           token ids
     * @param attentionMask 1 for a real token, 0 for padding that no position may attend to
     * @param typeIds       token type (segment) ids, usually all 0
     * @throws InvalidModelException if the sequence is longer than the model's positions, an id is
     *                               out of range, or the mask is not 0/1 with at least one 1
     */
    public float[][] lastHiddenState(int[] ids, int[] attentionMask, int[] typeIds) {
        checkSequence(ids, attentionMask, typeIds);
        float[][] x = embeddings(ids, typeIds);
        for (Layer layer : layers) {
            x = encoderLayer(layer, x, attentionMask);
        }
        return x;
    }

    /**
     * The sentence embedding of one sequence: the last hidden state pooled over the positions whose
     * mask is 1 (see {@link #pooling()}), then scaled to unit length if the model says so.
     */
    public float[] embed(int[] ids, int[] attentionMask, int[] typeIds) {
        return pooling.apply(lastHiddenState(ids, attentionMask, typeIds), attentionMask);
    }

    /** Word + token type + position embedding of every token, then LayerNorm. */
    private float[][] embeddings(int[] ids, int[] typeIds) {
        int hidden = config.hiddenSize();
        float[][] x = new float[ids.length][hidden];
        for (int t = 0; t < ids.length; t++) {
            for (int i = 0; i < hidden; i++) {
                // Summed in Hugging Face's order: (word + type) + position.
                x[t][i] = wordEmbeddings[ids[t] * hidden + i] + typeEmbeddings[typeIds[t] * hidden + i]
                        + positionEmbeddings[t * hidden + i];
            }
            embeddingNorm.applyInPlace(x[t]);
        }
        return x;
    }

    private float[][] encoderLayer(Layer layer, float[][] x, int[] attentionMask) {
        float[][] context = selfAttention(layer, x, attentionMask);
        float[][] attended = addAndNorm(layer.attentionOutput().apply(context), x, layer.attentionNorm());
        float[][] hidden = layer.intermediate().apply(attended);
        for (float[] row : hidden) {
            for (int i = 0; i < row.length; i++) {
                row[i] = gelu(row[i]);
            }
        }
        return addAndNorm(layer.output().apply(hidden), attended, layer.outputNorm());
    }

    /**
     * Multi-head scaled dot-product attention: for each head h and query i,
     * context_h[i] = Σ_j softmax_j(q_h[i]·k_h[j] / √headDim + maskBias[j]) · v_h[j].
     * Head h owns features [h·headDim, (h+1)·headDim) of q, k, v and the context.
     */
    private float[][] selfAttention(Layer layer, float[][] x, int[] attentionMask) {
        int seqLen = x.length;
        int headDim = config.headDim();
        float[][] q = layer.query().apply(x);
        float[][] k = layer.key().apply(x);
        float[][] v = layer.value().apply(x);
        float[][] context = new float[seqLen][config.hiddenSize()];
        float scale = (float) (1 / Math.sqrt(headDim));
        float[] weights = new float[seqLen];
        for (int h = 0; h < config.numHeads(); h++) {
            int head = h * headDim;
            for (int i = 0; i < seqLen; i++) {
                for (int j = 0; j < seqLen; j++) {
                    float bias = attentionMask[j] == 1 ? 0 : MASKED_KEY_BIAS;
                    weights[j] = Dot.dot(q[i], head, k[j], head, headDim) * scale + bias;
                }
                softmaxInPlace(weights);
                for (int j = 0; j < seqLen; j++) {
                    for (int d = 0; d < headDim; d++) {
                        context[i][head + d] += weights[j] * v[j][head + d];
                    }
                }
            }
        }
        return context;
    }

    /** y + residual, then LayerNorm, row by row; overwrites and returns {@code y}. */
    private static float[][] addAndNorm(float[][] y, float[][] residual, LayerNorm norm) {
        for (int t = 0; t < y.length; t++) {
            for (int i = 0; i < y[t].length; i++) {
                y[t][i] += residual[t][i];
            }
            norm.applyInPlace(y[t]);
        }
        return y;
    }

    /** Softmax with the maximum subtracted first, so exp never overflows. */
    private static void softmaxInPlace(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        float sum = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= sum;
        }
    }

    /**
     * Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)), written with erfc so that the tiny values at large
     * negative x keep their precision instead of cancelling to 0.
     */
    static float gelu(float x) {
        return (float) (0.5 * x * Erf.erfc(-x / SQRT_2));
    }

    private void checkSequence(int[] ids, int[] attentionMask, int[] typeIds) {
        if (attentionMask.length != ids.length || typeIds.length != ids.length) {
            throw new IllegalArgumentException("ids, attention mask and type ids differ in length: "
                    + ids.length + ", " + attentionMask.length + ", " + typeIds.length);
        }
        if (ids.length > config.maxPositions()) {
            throw new InvalidModelException("a sequence of " + ids.length + " tokens is longer than the model's "
                    + config.maxPositions() + " positions (max_position_embeddings)");
        }
        checkRange("token id", ids, config.vocabSize());
        checkRange("token type id", typeIds, config.typeVocabSize());
        checkRange("attention mask value", attentionMask, 2);
        if (Arrays.stream(attentionMask).noneMatch(m -> m == 1)) {
            throw new InvalidModelException("the attention mask has no 1: there is no token to attend to");
        }
    }

    private static void checkRange(String what, int[] values, int limit) {
        for (int t = 0; t < values.length; t++) {
            if (values[t] < 0 || values[t] >= limit) {
                throw new InvalidModelException(what + " " + values[t] + " at position " + t
                        + " is out of range (expected 0 to " + (limit - 1) + ")");
            }
        }
    }

    /** Reads tensors by Hugging Face name, checking each shape against the config. */
    private record Weights(Checkpoint checkpoint, BertConfig config, MatrixTransform linearWeights) {

        Linear linear(String module, int outFeatures, int inFeatures) {
            String name = module + ".weight";
            float[] weight = linearWeights.apply(name, tensor(name, outFeatures, inFeatures), outFeatures, inFeatures);
            if (weight == null || weight.length != outFeatures * inFeatures) {
                throw new IllegalStateException("the weight transform returned " + (weight == null ? "null"
                        : weight.length + " values") + " for " + name + ", expected " + outFeatures * inFeatures);
            }
            return new Linear(weight, tensor(module + ".bias", outFeatures));
        }

        LayerNorm layerNorm(String module) {
            int hidden = config.hiddenSize();
            return new LayerNorm(tensor(module + ".weight", hidden), tensor(module + ".bias", hidden), config.layerNormEps());
        }

        /** The named tensor as floats, row-major, after checking it has exactly {@code shape}. */
        float[] tensor(String name, int... shape) {
            TensorView tensor = checkpoint.find(name).orElseThrow(() -> new InvalidModelException(
                    checkpoint.directory() + ": tensor '" + name + "' is missing (expected shape "
                            + Arrays.toString(shape) + ")"));
            long[] expected = Arrays.stream(shape).asLongStream().toArray();
            if (!Arrays.equals(tensor.shape(), expected)) {
                throw new InvalidModelException(tensor.file() + ": tensor '" + name + "' has shape "
                        + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(shape));
            }
            if (!tensor.dtype().isFloatingPoint()) {
                throw new InvalidModelException(tensor.file() + ": tensor '" + name + "' is " + tensor.dtype()
                        + ", expected a floating-point type");
            }
            return tensor.toFloatArray();
        }
    }
}
