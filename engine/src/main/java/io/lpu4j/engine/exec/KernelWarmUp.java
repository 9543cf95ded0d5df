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
 * <p>Every {@link #WIDE_EVERY}th product goes to a second matrix whose rows are long enough to be
 * stored in two column panels ({@code InterleavedMatrix.panelWidth}), so the profile C2 compiles from
 * has seen both ways into the loops (accumulators starting at zero in the first panel, continued in
 * the next); else the first long-row model would throw the compiled loop out (an uncommon trap) and
 * reopen the race. Its few calls leave the compilation from the entry first: C2 compiles a method from
 * its entry once invocations plus loop iterations pass 15 000, on-stack at 40 000 loop iterations.
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
    /** Columns of the wide matrix: two panels in every interleaved format. */
    private static final int WIDE_COLS = 3200;
    private static final int WIDE_EVERY = 50;
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
        Product tiny = new Product(type, COLS, arena);
        Product wide = new Product(type, WIDE_COLS, arena);
        for (int i = 1; i <= CALLS; i++) {
            (i % WIDE_EVERY == 0 ? wide : tiny).run();
        }
    }

    /** A {@link #ROWS}-row matrix of {@code type} with zero weights, and what its product needs. */
    private record Product(WeightMatrix matrix, MemorySegment x, MemorySegment out, KernelScratch scratch) {
        Product(StorageType type, int cols, Arena arena) {
            this(matrix(type, cols, arena),
                    arena.allocate((long) Lanes.padded(cols) * Float.BYTES, RowLayout.ALIGNMENT),
                    arena.allocate((long) ROWS * Float.BYTES, RowLayout.ALIGNMENT),
                    new KernelScratch(arena, cols));
        }

        private static WeightMatrix matrix(StorageType type, int cols, Arena arena) {
            int stride = RowLayout.stride(cols, type.elementBytes());
            MemorySegment data = arena.allocate(RowLayout.bytes(ROWS, cols, type.elementBytes()), RowLayout.ALIGNMENT);
            type.arrange(data, ROWS, stride, BLOCK_SIZE);
            long scaleCount = Math.max(1, type.scaleCount(ROWS, cols, BLOCK_SIZE));
            MemorySegment scales = arena.allocate(scaleCount * Float.BYTES, RowLayout.ALIGNMENT);
            return type.matrix(data, scales, ROWS, cols, BLOCK_SIZE);
        }

        void run() {
            matrix.multiply(0, ROWS, x, 1, out, 0, ROWS, scratch);
        }
    }
}
