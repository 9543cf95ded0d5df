package io.lpu4j.tokenizer;

import java.util.List;

/**
 * The result of encoding one text.
 *
 * @param ids               token ids, as the model takes them
 * @param tokens            the token strings (for added tokens: the matched text)
 * @param offsets           per token, its range [start, end) in the input text, in Java chars (UTF-16
 *                          units, so {@code text.substring(start, end)} works); HF's own offsets count
 *                          code points, and agree with these where the text has no surrogate pairs.
 *                          Tokens the post-processor or padding added have (0, 0).
 * @param typeIds           segment ids (BERT's token_type_ids)
 * @param attentionMask     1 for real tokens, 0 for padding
 * @param specialTokensMask 1 for tokens the post-processor or padding added
 */
public record Encoding(int[] ids, List<String> tokens, List<Offset> offsets, int[] typeIds, int[] attentionMask,
                       int[] specialTokensMask) {

    /** A range [start, end) of the input text, in UTF-16 units. */
    public record Offset(int start, int end) {
    }

    public int size() {
        return ids.length;
    }
}
