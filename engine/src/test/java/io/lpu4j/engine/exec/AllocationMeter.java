package io.lpu4j.engine.exec;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the allocation tests share: warming up until the JIT is quiet, and the Java heap bytes the
 * caller and each worker of an executor allocate during some work (per-thread counters of
 * com.sun.management.ThreadMXBean).
 */
final class AllocationMeter {
    private AllocationMeter() {
    }

    /**
     * Runs {@code round} until the JIT compiles nothing for a whole round ({@code minRounds} rounds
     * at least, {@code maxRounds} at most: a busy CI core compiles late); returns the rounds run.
     */
    static int warmUp(Runnable round, int minRounds, int maxRounds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long compiling = -1;
        int rounds = 0;
        while (rounds < maxRounds) {
            round.run();
            rounds++;
            long now = jit.getTotalCompilationTime();
            if (rounds >= minRounds && now == compiling) {
                break;
            }
            compiling = now;
        }
        return rounds;
    }

    /**
     * Bytes allocated during {@code work}: [0] by the calling thread, [i] by worker i − 1. Everything
     * the measurement needs is allocated before the first reading.
     */
    static long[] allocatedDuring(Executor executor, Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread[] workers = executor.workerThreads();
        long[] before = new long[workers.length + 1];
        long[] after = new long[workers.length + 1];
        snapshot(threads, workers, before);
        work.run();
        snapshot(threads, workers, after);
        for (int i = 0; i < after.length; i++) {
            after[i] -= before[i];
        }
        return after;
    }

    /** Who entry i of {@link #allocatedDuring} is. */
    static String who(Executor executor, int i) {
        return i == 0 ? "the caller" : executor.workerThreads()[i - 1].getName();
    }

    private static void snapshot(com.sun.management.ThreadMXBean threads, Thread[] workers, long[] out) {
        out[0] = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
        for (int i = 0; i < workers.length; i++) {
            out[i + 1] = threads.getThreadAllocatedBytes(workers[i].threadId());
        }
    }
}
