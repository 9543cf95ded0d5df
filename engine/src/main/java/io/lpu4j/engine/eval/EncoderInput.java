package io.lpu4j.engine.eval;

/** One tokenized sentence for an encoder: ids, attention mask (1 = real token) and token types. */
public record EncoderInput(String text, int[] ids, int[] mask, int[] typeIds) {

    public EncoderInput {
        if (mask.length != ids.length || typeIds.length != ids.length) {
            throw new IllegalArgumentException("'" + text + "': " + ids.length + " ids, " + mask.length
                    + " mask values, " + typeIds.length + " type ids");
        }
    }
}
