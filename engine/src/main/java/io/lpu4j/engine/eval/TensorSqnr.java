package io.lpu4j.engine.eval;

/** The SQNR of one weight matrix in a format: {@link io.lpu4j.weights.Sqnr#db}, original vs as stored. */
public record TensorSqnr(String tensor, double db) {
}
