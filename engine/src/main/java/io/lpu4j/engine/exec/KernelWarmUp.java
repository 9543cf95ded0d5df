package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.InterleavedMatrix;
import io.lpu4j.engine.kernel.KernelScratch;
import io.lpu4j.engine.kernel.Lanes;
import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.engine.plan.StorageType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/**
 * Has C2 compile the two-stream one-token loops of a storage type ({@code RowMatrix.dotTwoFours}:
 * FP8, INT8, BF16) from their entry before the first token, by running the product a few thousand
 * times on a tiny matrix (four loop iterations per row).
 *
 * <p>Why: a real product runs each loop hundreds of iterations per call, so C2 may first compile it
 * mid-loop (on-stack replacement) and only then from its entry. In the runs where that happened, the
 * FP8 two-stream loop kept its decode constant and its weight segment's checks inside the loop
 * (TinyLlama, FP8 beside F32 and BF16, two threads: 0.53 and 0.77 of the measured read bandwidth in
 * two such runs, 0.73–0.97 in runs that compiled from the entry). Which came first was a race with
 * the compiler threads.
 *
 * <p>The tiny matrices live in the caller's arena, which must be of the kind the engine's own buffers
 * come from (shared): warmed up in a confined arena instead, with a second kind of memory session in
 * the profile of the segments' access checks, BF16 decode allocated 9.5 KB per step in {@code
 * DecodeAllocationTest} (2 runs of 4; 0 of 15 with the shared arena, 5 of them on one core). The
 * rows cover every branch of the one-token product (two groups at once, then pairs and one row).
 * Once per storage type and process; a few milliseconds.
 */
public final class KernelWarmUp {
    private static final int CALLS = 6000;
    /** Two groups walked at once, then seven rows left over: three pairs and one row. */
    private static final int ROWS = 2 * InterleavedMatrix.GROUP + 7;
    private static final int COLS = 4 * Lanes.N;
    private static final int BLOCK_SIZE = RowLayout.ALIGNMENT;
    private static final Set<StorageType> WARM = EnumSet.noneOf(StorageType.class);

    private KernelWarmUp() {
    }

    /**
     * Warms up {@code type}'s one-token product, unless done already in this process or the type is
     * F32, whose loops walk one row range in order and ran slower after this warm-up (TinyLlama F32
     * decode, two threads, three pairs of runs: 0.93–0.98 of the measured read bandwidth with it,
     * 0.99–1.05 without).
     */
    public static synchronized void run(StorageType type, Arena arena) {
        if (type.rowGroup() == 1 || !WARM.add(type)) {
            return;
        }
        int stride = RowLayout.stride(COLS, type.elementBytes());
        MemorySegment data = arena.allocate(RowLayout.bytes(ROWS, COLS, type.elementBytes()), RowLayout.ALIGNMENT);
        type.arrange(data, ROWS, stride);
        long scaleCount = Math.max(1, type.scaleCount(ROWS, COLS, BLOCK_SIZE));
        MemorySegment scales = arena.allocate(scaleCount * Float.BYTES, RowLayout.ALIGNMENT);
        MemorySegment x = arena.allocate((long) Lanes.padded(COLS) * Float.BYTES, RowLayout.ALIGNMENT);
        MemorySegment out = arena.allocate((long) ROWS * Float.BYTES, RowLayout.ALIGNMENT);
        KernelScratch scratch = new KernelScratch(arena, COLS);
        WeightMatrix matrix = type.matrix(data, scales, ROWS, COLS, BLOCK_SIZE);
        for (int i = 0; i < CALLS; i++) {
            matrix.multiply(0, ROWS, x, 1, out, 0, ROWS, scratch);
        }
    }
}
