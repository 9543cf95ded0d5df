package io.lpu4j.engine.eval;

import java.util.List;

/**
 * The accuracy of weight formats on an encoder and a few sentences.
 *
 * @param model     the model directory's name
 * @param method    how the rows were computed, in one paragraph
 * @param sentences the sentences' texts
 * @param rows      F32 first, then each format, then external runtimes
 */
public record EncoderReport(String model, String method, List<String> sentences, List<EncoderRow> rows) {

    public EncoderReport {
        sentences = List.copyOf(sentences);
        rows = List.copyOf(rows);
    }
}
