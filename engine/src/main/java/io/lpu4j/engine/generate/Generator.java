package io.lpu4j.engine.generate;

import io.lpu4j.engine.CausalLM;
import io.lpu4j.engine.InvalidModelException;

import java.util.Arrays;
import java.util.Set;

/**
 * The generation loop: one forward pass over the prompt, then sample → feed back → sample until an
 * end-of-sequence id, the token budget, or the end of the context.
 */
public final class Generator {
    private final CausalLM model;
    private final Set<Integer> endOfSequence;

    public Generator(CausalLM model, Set<Integer> endOfSequence) {
        this.model = model;
        this.endOfSequence = Set.copyOf(endOfSequence);
    }

    /** Receives each generated id as soon as it is chosen. */
    @FunctionalInterface
    public interface TokenListener {
        void onToken(int id);
    }

    /**
     * @param logitsListener if not null, receives the logits of every forward pass (prompt positions
     *                       first), for comparing numerics
     */
    public GenerationResult generate(int[] prompt, int maxTokens, Sampler sampler, TokenListener listener,
                                     CausalLM.LogitsListener logitsListener) {
        checkPrompt(prompt);
        int[] generated = new int[Math.max(0, maxTokens)];
        int[] next = new int[1];
        long start = System.nanoTime();
        model.forward(prompt, prompt.length, 0, logitsListener);
        long prefillNanos = System.nanoTime() - start;

        int count = 0;
        int position = prompt.length;
        GenerationResult.StopReason reason = GenerationResult.StopReason.MAX_TOKENS;
        long decodeStart = System.nanoTime();
        while (count < maxTokens) {
            int token = sampler.next(model.logits());
            generated[count++] = token;
            listener.onToken(token);
            if (endOfSequence.contains(token)) {
                reason = GenerationResult.StopReason.END_OF_SEQUENCE;
                break;
            }
            if (count == maxTokens) {
                break;
            }
            if (position == model.contextLength()) {
                reason = GenerationResult.StopReason.CONTEXT_FULL;
                break;
            }
            next[0] = token;
            model.forward(next, 1, position++, logitsListener);
        }
        long decodeNanos = count > 1 ? System.nanoTime() - decodeStart : 0;
        return new GenerationResult(prompt.clone(), Arrays.copyOf(generated, count), prefillNanos, decodeNanos, reason);
    }

    private void checkPrompt(int[] prompt) {
        if (prompt.length == 0) {
            throw new InvalidModelException("the prompt is empty: give some text, or a model whose tokenizer adds BOS");
        }
        if (prompt.length > model.contextLength()) {
            throw new InvalidModelException("the prompt is " + prompt.length + " tokens, longer than the context of "
                    + model.contextLength() + " tokens");
        }
        int vocab = model.config().vocabSize();
        for (int id : prompt) {
            if (id < 0 || id >= vocab) {
                throw new InvalidModelException("prompt token id " + id + " is outside the model's vocabulary [0, "
                        + vocab + ")");
            }
        }
    }
}
