package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.KernelScratch;
import io.lpu4j.engine.kernel.WeightMatrix;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix whose rows may be spread over several shards: each piece covers a contiguous row
 * range. Multiplying a row range visits the pieces it overlaps; every row is still computed by one
 * kernel call in the same order, so splitting changes no bit of the result.
 */
final class PiecedMatrix {
    private final WeightMatrix[] pieces;
    private final int[] firstRows;
    private final int rows;
    private final int cols;

    PiecedMatrix(WeightMatrix[] pieces, int[] firstRows) {
        this.pieces = pieces.clone();
        this.firstRows = firstRows.clone();
        int total = 0;
        for (WeightMatrix piece : pieces) {
            total += piece.rows();
        }
        this.rows = total;
        this.cols = pieces[0].cols();
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    long bytes() {
        long sum = 0;
        for (WeightMatrix piece : pieces) {
            sum += piece.bytes();
        }
        return sum;
    }

    /** As {@link WeightMatrix#multiply}, with global row numbers. */
    void multiply(int rowFrom, int rowTo, MemorySegment x, int tokens, MemorySegment out, long outAt, int outStride,
                  KernelScratch scratch) {
        for (int i = 0; i < pieces.length; i++) {
            int first = firstRows[i];
            int from = Math.max(rowFrom, first);
            int to = Math.min(rowTo, first + pieces[i].rows());
            if (from < to) {
                pieces[i].multiply(from - first, to - first, x, tokens, out, outAt + (from - rowFrom), outStride, scratch);
            }
        }
    }

    /** Row {@code r} as F32 (the embedding lookup). */
    void readRow(int r, MemorySegment dst, long at) {
        for (int i = pieces.length - 1; i >= 0; i--) {
            if (r >= firstRows[i]) {
                pieces[i].readRow(r - firstRows[i], dst, at);
                return;
            }
        }
    }
}
