package io.lpu4j.engine.model;

/**
 * How rotary position frequencies are rescaled for long contexts, from {@code rope_scaling}.
 * {@link Type#LLAMA3} is Llama 3.1/3.2's scheme: low frequencies divided by {@code factor}, high
 * ones kept, a smooth blend between (Hugging Face {@code _compute_llama3_parameters}).
 */
public record RopeScaling(Type type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public enum Type { NONE, LINEAR, LLAMA3 }

    public static final RopeScaling NONE = new RopeScaling(Type.NONE, 1, 0, 0, 0);

    /**
     * The inverse frequency of each of the {@code headDim / 2} rotated pairs: theta^(-2i/headDim),
     * rescaled as this scaling says. Computed in double, rounded once to float.
     */
    public float[] inverseFrequencies(int headDim, double theta) {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            double base = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
            inv[i] = (float) switch (type) {
                case NONE -> base;
                case LINEAR -> base / factor;
                case LLAMA3 -> llama3(base);
            };
        }
        return inv;
    }

    private double llama3(double invFreq) {
        double wavelength = 2 * Math.PI / invFreq;
        double lowFreqWavelength = originalMaxPositions / lowFreqFactor;
        double highFreqWavelength = originalMaxPositions / highFreqFactor;
        if (wavelength < highFreqWavelength) {
            return invFreq;
        }
        if (wavelength > lowFreqWavelength) {
            return invFreq / factor;
        }
        double smooth = (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }

    /** Reads {@code rope_scaling} (or the scaling part of {@code rope_parameters}); null/absent means none. */
    static RopeScaling from(JsonConfig scaling) {
        if (scaling == null) {
            return NONE;
        }
        String type = scaling.string("rope_type", scaling.string("type", "default"));
        return switch (type) {
            case "default" -> NONE;
            case "linear" -> new RopeScaling(Type.LINEAR, scaling.requirePositiveNumber("factor"), 0, 0, 0);
            case "llama3" -> {
                double low = scaling.requirePositiveNumber("low_freq_factor");
                double high = scaling.requirePositiveNumber("high_freq_factor");
                if (!(high > low)) {
                    throw scaling.error("high_freq_factor", "must exceed low_freq_factor, got "
                            + high + " and " + low);
                }
                yield new RopeScaling(Type.LLAMA3, scaling.requirePositiveNumber("factor"), low, high,
                        scaling.requirePositiveInt("original_max_position_embeddings"));
            }
            default -> throw scaling.error("rope_type",
                    "= '" + type + "' is not supported (expected llama3, linear or none)");
        };
    }
}
