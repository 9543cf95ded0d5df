package io.lpu4j.bench.kernel;

/** A weight matrix's shape as the benchmarks' {@code shape} parameter spells it: {@code "5632x2048"}. */
public record Shape(int rows, int cols) {

    public static Shape parse(String text) {
        int x = text.indexOf('x');
        if (x < 0) {
            throw new IllegalArgumentException("shape must be ROWSxCOLS, got " + text);
        }
        return new Shape(Integer.parseInt(text.substring(0, x)), Integer.parseInt(text.substring(x + 1)));
    }

    /** Multiply-adds of one token, times two: the FLOP count of a matrix-vector product. */
    public double flopsPerToken() {
        return 2.0 * rows * cols;
    }
}
