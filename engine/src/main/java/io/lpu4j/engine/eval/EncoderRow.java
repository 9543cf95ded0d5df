package io.lpu4j.engine.eval;

/**
 * One format's accuracy on a set of sentences, against lpu4j's F32 encoder.
 *
 * @param format     the weight format's flag, or what an external runtime ran
 * @param runner     what produced the hidden states
 * @param cosineMean mean over sentences of the cosine similarity of the sentence embeddings
 *                   (the model's pooling, e.g. mean over real tokens then L2 normalization)
 * @param cosineMin  the least similar sentence's cosine
 * @param maxAbsDiff largest |difference| of any last-hidden-state value at a real (mask 1) token
 * @param sqnr       SQNR of the weights the format changed; null for F32 and external runtimes
 */
public record EncoderRow(String format, Runner runner, double cosineMean, double cosineMin, double maxAbsDiff,
                         SqnrSummary sqnr) {
}
