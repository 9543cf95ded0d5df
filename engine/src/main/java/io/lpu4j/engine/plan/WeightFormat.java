package io.lpu4j.engine.plan;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How the linear layers' weights are stored and multiplied: the value of the {@code --weights} flag.
 * Norm weights and biases always stay F32 (they are tiny, and norms are sensitive to rounding).
 */
public enum WeightFormat {
    F32("f32", StorageType.F32),
    BF16("bf16", StorageType.BF16),
    FP8_TENSOR("fp8-tensor", StorageType.FP8_TENSOR),
    FP8_CHANNEL("fp8-channel", StorageType.FP8_CHANNEL),
    FP8_BLOCK("fp8-block", StorageType.FP8_BLOCK),
    INT8("int8", StorageType.INT8_CHANNEL);

    /**
     * What plain {@code fp8} means: per-channel scales. The accuracy report ({@code lpu eval},
     * docs/eval.md) finds the three FP8 granularities close on stories260K and MiniLM, since E4M3's
     * exponent already follows each weight's magnitude; per-channel has the best SQNR of the three
     * on both, the best KL on stories260K, keeps a row of small weights out of the subnormals where
     * a per-tensor scale would put them, and needs one scale per dot product, the cheapest to apply.
     */
    public static final WeightFormat FP8_DEFAULT = FP8_CHANNEL;

    private final String flag;
    private final StorageType linearStorage;

    WeightFormat(String flag, StorageType linearStorage) {
        this.flag = flag;
        this.linearStorage = linearStorage;
    }

    /** The {@code --weights} spelling. */
    public String flag() {
        return flag;
    }

    /** Storage of the linear layers (q, k, v, o, gate, up, down). */
    public StorageType linearStorage() {
        return linearStorage;
    }

    /**
     * Storage of the embedding and lm_head. They are quantized only when asked for: they are read
     * once per token each, and the vocabulary projection is where rounding shows most directly in
     * the logits. Otherwise F32 stays F32 and every other format keeps them in BF16.
     */
    public StorageType embeddingStorage(boolean quantizeEmbeddings) {
        if (this == F32) {
            return StorageType.F32;
        }
        return quantizeEmbeddings ? linearStorage : StorageType.BF16;
    }

    /**
     * Activations between ops and the KV cache: F32 with F32 weights (the exact path, checked
     * against the reference to 1e-5), IEEE binary16 otherwise, as on the LPU.
     */
    public ActivationType activations() {
        return this == F32 ? ActivationType.F32 : ActivationType.F16;
    }

    /** Parses a {@code --weights} value; {@code fp8} is {@link #FP8_DEFAULT}. */
    public static Optional<WeightFormat> parse(String flag) {
        String f = flag.toLowerCase(Locale.ROOT);
        if (f.equals("fp8")) {
            return Optional.of(FP8_DEFAULT);
        }
        return Arrays.stream(values()).filter(w -> w.flag.equals(f)).findFirst();
    }

    public static String choices() {
        return "f32, bf16, fp8, fp8-tensor, fp8-channel, fp8-block, int8";
    }
}
