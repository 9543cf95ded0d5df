package io.lpu4j.engine.generate;

/**
 * How the next token is chosen from the logits.
 *
 * @param temperature 0 for greedy (argmax, lowest id on ties); otherwise logits are divided by it
 * @param topK        keep only the k most likely tokens (0 = no limit)
 * @param topP        keep the smallest most-likely set whose probability reaches p (1 = no limit)
 * @param seed        seed of the random draws: the same seed gives the same tokens
 */
public record SamplingSettings(float temperature, int topK, float topP, long seed) {

    public static SamplingSettings greedy() {
        return new SamplingSettings(0f, 0, 1f, 0L);
    }

    public SamplingSettings {
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
    }
}
