package io.lpu4j.bench.kernel;

import io.lpu4j.engine.kernel.KernelScratch;
import io.lpu4j.engine.kernel.WeightMatrix;
import org.openjdk.jmh.infra.ThreadParams;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One benchmark thread's part of a multiply, as the executor splits it: thread i of n computes the
 * i-th contiguous n-th of the rows, with its own scratch and output (and, when the benchmark cycles
 * through copies of a matrix, its own place in the cycle). What the benchmark leaves out is the
 * executor's barrier after each step: about a microsecond, against the hundreds a DRAM-bound
 * matrix-vector product takes here.
 */
public final class RowShare {
    private final int from;
    private final int to;
    private final int tokens;
    private final KernelScratch scratch;
    private final MemorySegment out;
    private int next;

    public RowShare(ThreadParams thread, Shape shape, int tokens, Arena arena) {
        this.from = (int) ((long) shape.rows() * thread.getThreadIndex() / thread.getThreadCount());
        this.to = (int) ((long) shape.rows() * (thread.getThreadIndex() + 1) / thread.getThreadCount());
        this.tokens = tokens;
        this.scratch = new KernelScratch(arena, shape.cols());
        this.out = arena.allocate((long) tokens * (to - from) * Float.BYTES, 64);
    }

    /** How many rows this thread computes. */
    public int rows() {
        return to - from;
    }

    /** This thread's rows of {@code matrix} times {@code x}; returns one output so the work is used. */
    public float multiply(WeightMatrix matrix, MemorySegment x) {
        matrix.multiply(from, to, x, tokens, out, 0, to - from, scratch);
        return out.getAtIndex(ValueLayout.JAVA_FLOAT, 0);
    }

    /**
     * This thread's rows of the next of {@code copies} times {@code x}: each thread moves through the
     * copies in turn (all start at the first, as a team starts on the same matrix).
     */
    public float multiplyNext(WeightMatrix[] copies, MemorySegment x) {
        float result = multiply(copies[next], x);
        next = next + 1 == copies.length ? 0 : next + 1;
        return result;
    }
}
