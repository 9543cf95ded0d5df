package io.lpu4j.weights;

/**
 * How an FP8 checkpoint on the Hugging Face Hub stores the scales of an E4M3 weight {@code X.weight}
 * [out, in]. In both, the value a code stands for is code × scale (the "_inv" in the second name is
 * the inverse of the quantization multiplier 448 / amax, i.e. the dequantization factor).
 */
public enum Fp8ScaleConvention {
    /**
     * compressed-tensors and FBGEMM: {@code X.weight_scale}, shape [] or [1] for one scale per tensor,
     * [out] or [out, 1] for one per output channel.
     */
    WEIGHT_SCALE("_scale"),
    /**
     * DeepSeek-V3 and Qwen3-FP8 block quantization: {@code X.weight_scale_inv} of shape
     * [ceil(out / b), ceil(in / b)], one scale per b × b tile, b from
     * {@code quantization_config.weight_block_size}.
     */
    WEIGHT_SCALE_INV("_scale_inv");

    private final String suffix;

    Fp8ScaleConvention(String suffix) {
        this.suffix = suffix;
    }

    /** The scale tensor's name for a weight: {@code X.weight} → {@code X.weight_scale} or {@code X.weight_scale_inv}. */
    public String scaleName(String weightName) {
        return weightName + suffix;
    }

    /** The convention checkpoints use for a granularity: block scales are stored inverted-named, the others not. */
    public static Fp8ScaleConvention of(Granularity granularity) {
        return granularity == Granularity.BLOCK ? WEIGHT_SCALE_INV : WEIGHT_SCALE;
    }
}
