package io.lpu4j.engine.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One worker's private scratch space, allocated once before the first token: decoded weight rows
 * for the prefill tiles. Never shared between threads.
 */
public final class KernelScratch {
    /** Rows decoded at once by the prefill tiles. */
    public static final int ROW_TILE = 4;
    /** Accumulator slots of one chunk of the one-token product over panels ({@link RowMatrix#CHUNK_CALLS}). */
    static final int ONE_TOKEN_SLOTS = 8 * RowMatrix.CHUNK_CALLS;
    /** Vector slots of {@link #accumulators()}: a one-token chunk's, or a prefill batch's tiles' sixteen each. */
    static final int ACCUMULATOR_SLOTS = Math.max(DecodedTiles.GROUPS_PER_BATCH * ROW_TILE * ROW_TILE, ONE_TOKEN_SLOTS);
    /**
     * The first of the slots after the accumulators that stay zero (nothing writes them): where the
     * one-token loops' chains start in a row's first panel ({@link InterleavedMatrix#startOf}), a
     * group's four chains from consecutive slots.
     */
    static final int ZERO_SLOT = ACCUMULATOR_SLOTS;
    private static final int ZERO_SLOTS = InterleavedMatrix.GROUP;

    private final MemorySegment decodedRows;
    private final int rowStride;
    private final float[] tileScales = new float[ROW_TILE];
    private final MemorySegment accumulators;

    public KernelScratch(Arena arena, int maxCols) {
        this.rowStride = Lanes.padded(maxCols);
        this.decodedRows = arena.allocate((long) ROW_TILE * rowStride * Float.BYTES, 64);
        // allocate() zeroes the memory: the zero slots are ready
        this.accumulators = arena.allocate((long) (ACCUMULATOR_SLOTS + ZERO_SLOTS) * Lanes.N * Float.BYTES, 64);
    }

    /** Where a prefill tile spills its accumulators to sum their lanes, and the one-token product keeps its own. */
    MemorySegment accumulators() {
        return accumulators;
    }

    /** Room for {@link #ROW_TILE} decoded rows of {@link #rowStride()} floats each. */
    MemorySegment decodedRows() {
        return decodedRows;
    }

    int rowStride() {
        return rowStride;
    }

    /** The scales of the rows in {@link #decodedRows()}. */
    float[] tileScales() {
        return tileScales;
    }
}
