package io.lpu4j.engine.generate;

/**
 * What one generation did.
 *
 * @param promptTokens     the prompt ids fed to the model
 * @param tokens           the generated ids (an end-of-sequence id that stopped generation included)
 * @param prefillNanos     time of the forward pass over the prompt
 * @param decodeNanos      time of the forward passes over generated tokens (all but the last one,
 *                         which is never fed back)
 * @param stopReason       why generation ended
 */
public record GenerationResult(int[] promptTokens, int[] tokens, long prefillNanos, long decodeNanos,
                               StopReason stopReason) {

    public enum StopReason { END_OF_SEQUENCE, MAX_TOKENS, CONTEXT_FULL }

    /** Prompt tokens per second of prefill. */
    public double prefillTokensPerSecond() {
        return perSecond(promptTokens.length, prefillNanos);
    }

    /** Generated tokens fed back per second of decode (the first token comes from prefill). */
    public double decodeTokensPerSecond() {
        return perSecond(Math.max(0, tokens.length - 1), decodeNanos);
    }

    private static double perSecond(int count, long nanos) {
        return nanos == 0 ? 0 : count * 1e9 / nanos;
    }
}
