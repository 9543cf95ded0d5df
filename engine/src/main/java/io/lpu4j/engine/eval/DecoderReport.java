package io.lpu4j.engine.eval;

import java.util.List;

/**
 * The accuracy of weight formats on a decoder and a text.
 *
 * @param model         the model directory's name
 * @param method        how the rows were computed, in one paragraph
 * @param tokens        tokens in the text (with BOS if the tokenizer adds it)
 * @param predictions   next-token predictions scored per row (tokens − 1)
 * @param windows       consecutive windows the text was cut into
 * @param context       most tokens per window
 * @param rows          F32 first, then each format (reference rows, then executor rows)
 */
public record DecoderReport(String model, String method, int tokens, int predictions, int windows, int context,
                            List<DecoderRow> rows) {

    public DecoderReport {
        rows = List.copyOf(rows);
    }
}
