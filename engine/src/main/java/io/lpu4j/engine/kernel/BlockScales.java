package io.lpu4j.engine.kernel;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * A block-scaled matrix's F32 scales, one per square block of {@code size} rows × {@code size}
 * columns, stored row block by row block ({@code perRow} column blocks each).
 */
record BlockScales(MemorySegment scales, int size, int perRow) {
    /**
     * Index of the scale of row r's first column block; the next column blocks' scales follow it.
     * Loops walking blocks in order count from here: integer divisions per block (as in
     * {@link #of}) made the prefill's block loop twice as slow.
     */
    long rowStart(int r) {
        return (long) (r / size) * perRow;
    }

    /** The scale at {@code index} (see {@link #rowStart}). */
    float at(long index) {
        return scales.getAtIndex(FLOAT, index);
    }

    /** The scale of the block holding element (r, k). */
    float of(int r, int k) {
        return at(rowStart(r) + k / size);
    }
}
