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
 * FP8, INT8, BF16), and the prefill tiles, from their entry before the first token, by running the
 * product a few thousand times on a tiny matrix (four loop iterations per row).
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
 * <p>Then prefill products of {@link #PREFILL_TOKENS} tokens on both matrices, so the prefill tiles
 * ({@code DecodedTiles}) are compiled from a profile that has seen all their paths (several token
 * batches and column passes, tokens left over). Without it C2
 * compiled them from whatever ran first and, when a later model took a path that profile had not
 * seen, recompiled them with their vectors boxed: FP8_BLOCK then FP8_CHANNEL in one process, 684 MB
 * allocated per 64-token prefill and a tenth of the speed (SmolLM2-135M: 72 against 945 tok/s;
 * {@code PrefillAllocationTest}). The tiles are the same code for every format (they read decoded
 * F32 rows), so one quantized format's warm-up serves F32 too; a process that runs F32 alone is
 * not warmed up (see {@link #run}), and stories260K's F32 prefill (64-wide rows) there still
 * allocates 15 MB per 64 tokens.
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
    /**
     * Prefill products: tokens for two batches of the tiles' token groups and a few left over
     * ({@code DecodedTiles}), every path of the tiles; the wide matrix's rows take four column passes.
     */
    private static final int PREFILL_TOKENS = 67;
    private static final int PREFILL_CALLS = 400;
    private static final int PREFILL_WIDE_EVERY = 10;
    private static final int BLOCK_SIZE = RowLayout.ALIGNMENT;
    private static final Set<StorageType> WARM = EnumSet.noneOf(StorageType.class);

    private KernelWarmUp() {
    }

    /**
     * Warms up {@code type}'s one-token and prefill products, unless done already in this process or
     * the type is F32: its one-token loops walk one row range in order and ran slower after this
     * warm-up (TinyLlama F32 decode, two threads, three pairs of runs: 0.93–0.98 of the measured read
     * bandwidth with it, 0.99–1.05 without), and with the prefill part alone its decode allocated
     * in 2 of 10 runs of {@code DecodeAllocationTest} (0 of 8 without).
     */
    public static synchronized void run(StorageType type, Arena arena) {
        if (type.rowGroup() == 1 || !WARM.add(type)) {
            return;
        }
        Product tiny = new Product(type, COLS, arena);
        Product wide = new Product(type, WIDE_COLS, arena);
        for (int i = 1; i <= CALLS; i++) {
            (i % WIDE_EVERY == 0 ? wide : tiny).run(1);
        }
        for (int i = 1; i <= PREFILL_CALLS; i++) {
            (i % PREFILL_WIDE_EVERY == 0 ? wide : tiny).run(PREFILL_TOKENS);
        }
    }

    /** A {@link #ROWS}-row matrix of {@code type} with zero weights, and what its product needs. */
    private record Product(WeightMatrix matrix, MemorySegment x, MemorySegment out, KernelScratch scratch) {
        Product(StorageType type, int cols, Arena arena) {
            this(matrix(type, cols, arena),
                    arena.allocate((long) PREFILL_TOKENS * Lanes.padded(cols) * Float.BYTES, RowLayout.ALIGNMENT),
                    arena.allocate((long) PREFILL_TOKENS * ROWS * Float.BYTES, RowLayout.ALIGNMENT),
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

        void run(int tokens) {
            matrix.multiply(0, ROWS, x, tokens, out, 0, ROWS, scratch);
        }
    }
}
