package io.lpu4j.engine;

import io.lpu4j.engine.model.ModelConfig;

/**
 * A decoder that turns tokens at positions into next-token logits, keeping its own KV cache.
 * Implementations: the FP32 reference and the static executor.
 */
public interface CausalLM extends AutoCloseable {

    ModelConfig config();

    /** Positions this instance has KV cache for. */
    int contextLength();

    /**
     * Feeds {@code tokens[0..count)} at positions {@code start..start+count)}, overwriting the cache
     * from {@code start} on. Afterwards {@link #logits()} holds the logits of the last position.
     *
     * @param everyPosition if not null, receives the logits after each position, in order
     */
    void forward(int[] tokens, int count, int start, LogitsListener everyPosition);

    /** Logits after the last forward pass; the array is reused by the next call. */
    float[] logits();

    @Override
    void close();

    /** Receives the logits of one position; the array is only valid during the call. */
    @FunctionalInterface
    interface LogitsListener {
        void onLogits(int position, float[] logits);
    }
}
