package io.lpu4j.engine.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Has C2 compile the one-token loops of the interleaved formats from their entry before the first
 * token, by running each a few thousand times on a tiny matrix (four loop iterations per call).
 *
 * <p>Why: a real product runs each loop hundreds of iterations per call, so C2 may first compile it
 * mid-loop (on-stack replacement) and only then from its entry; in the runs where that happened the
 * entry compilation of the FP8 two-group loop kept its decode constant and its weight segment in
 * memory rather than in registers, re-broadcast and re-checked inside the loop (TinyLlama, FP8 beside
 * F32 and BF16, two threads: 29.3 and 30.2 tok/s, 0.53 and 0.77 of the measured read bandwidth, in
 * two runs that compiled mid-loop first; 43.9 tok/s, 0.73, in one that did not). Which came first
 * was a race with the compiler threads; with this warm-up, three runs of three compiled from the
 * entry. Done once per process; it takes a few milliseconds.
 */
public final class KernelWarmUp {
    private static final int CALLS = 6000;
    private static final int ROWS = 2 * InterleavedMatrix.GROUP;
    private static final int COLS = 4 * Lanes.N;
    private static boolean done;

    private KernelWarmUp() {
    }

    public static synchronized void run() {
        if (done) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment codes = arena.allocate((long) ROWS * COLS * Short.BYTES, 64);
            MemorySegment rowScales = arena.allocate((long) ROWS * Float.BYTES, 64);
            MemorySegment blockScales = arena.allocate(Float.BYTES, 64);
            MemorySegment x = arena.allocate((long) COLS * Float.BYTES, 64);
            MemorySegment out = arena.allocate((long) ROWS * Float.BYTES, 64);
            KernelScratch scratch = new KernelScratch(arena, COLS);
            MemorySegment oneByte = codes.asSlice(0, (long) ROWS * COLS);
            WeightMatrix[] matrices = {
                new Fp8Matrix(oneByte, rowScales, ROWS, COLS),
                new Fp8BlockMatrix(oneByte, blockScales, ROWS, COLS, RowLayout.ALIGNMENT),
                new Int8Matrix(oneByte, rowScales, ROWS, COLS),
                new Bf16Matrix(codes, ROWS, COLS),
            };
            for (WeightMatrix matrix : matrices) {
                for (int i = 0; i < CALLS; i++) {
                    matrix.multiply(0, ROWS, x, 1, out, 0, ROWS, scratch);
                }
            }
        }
        done = true;
    }
}
