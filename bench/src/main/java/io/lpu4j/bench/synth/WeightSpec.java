package io.lpu4j.bench.synth;

/**
 * One tensor to synthesize: its Hugging Face name, shape (row-major, rows = output features) and
 * the distribution of its values.
 */
public record WeightSpec(String name, long[] shape, Distribution distribution) {
    public WeightSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Elements per row: the last dimension. */
    public long columns() {
        return shape[shape.length - 1];
    }
}
