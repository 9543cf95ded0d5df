package io.lpu4j.engine.eval;

import io.lpu4j.engine.CausalLM;

import java.util.Arrays;

/**
 * A tokenized text cut into consecutive windows of at most {@code context} tokens, each run from
 * position 0 with a fresh context, so that a text longer than the model's context is still
 * evaluated whole. Every next-token prediction of the text is made exactly once: prediction i
 * (of token i + 1 from tokens 0..i) comes from the window holding token i, seeing only the tokens
 * of that window up to i.
 */
record TokenWindows(int[] tokens, int context) {

    TokenWindows {
        if (tokens.length < 2) {
            throw new IllegalArgumentException("the text has " + tokens.length
                    + " token(s); at least 2 are needed for one next-token prediction");
        }
        if (context < 1) {
            throw new IllegalArgumentException("context must be positive, got " + context);
        }
    }

    /** Next-token predictions in the text: one per token but the last. */
    int predictions() {
        return tokens.length - 1;
    }

    /** Windows that hold a prediction (a last window holding only the final token has none). */
    int count() {
        return Math.ceilDiv(predictions(), context);
    }

    /** Receives the logits of prediction {@code index} (of token index + 1). */
    @FunctionalInterface
    interface PredictionListener {
        void onPrediction(int index, float[] logits);
    }

    /** Runs {@code model} over every window, handing each prediction's logits to {@code listener}. */
    void run(CausalLM model, PredictionListener listener) {
        for (int start = 0; start < predictions(); start += context) {
            int end = Math.min(start + context, predictions());
            int first = start;
            model.forward(Arrays.copyOfRange(tokens, start, end), end - start, 0,
                    (position, logits) -> listener.onPrediction(first + position, logits));
        }
    }
}
