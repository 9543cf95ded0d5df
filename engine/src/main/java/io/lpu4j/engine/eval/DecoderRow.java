package io.lpu4j.engine.eval;

/**
 * One format's accuracy on a text, against the F32 reference.
 *
 * @param format        the weight format's flag (f32, fp8-channel, ...)
 * @param runner        what ran it
 * @param klMean        mean over predictions of KL(P_F32 ‖ P_format), nats per token
 * @param klP99         99th percentile of the same
 * @param top1Agreement fraction of predictions whose most likely token is F32's
 * @param perplexity    exp of the mean negative log-likelihood of the text's next tokens
 * @param sqnr          SQNR of the weights the format changed; null where nothing was quantized
 *                      (F32) or the quantization is not this row's to measure (executor rows)
 */
public record DecoderRow(String format, Runner runner, double klMean, double klP99, double top1Agreement,
                         double perplexity, SqnrSummary sqnr) {
}
