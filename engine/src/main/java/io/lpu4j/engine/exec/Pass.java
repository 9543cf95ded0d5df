package io.lpu4j.engine.exec;

/**
 * The tokens of the forward pass in flight. Written by the caller before the team starts (the
 * start signal publishes it), read by all workers.
 */
final class Pass {
    final int[] tokens;
    int count;
    int start;

    Pass(int maxBatch) {
        this.tokens = new int[maxBatch];
    }

    /** Position of token t. */
    int position(int t) {
        return start + t;
    }
}
