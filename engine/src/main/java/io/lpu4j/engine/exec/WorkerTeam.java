package io.lpu4j.engine.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of workers that run the same list of steps, meeting at a barrier after each one.
 * Worker 0 is the calling thread; the others are started once and live until {@link #close()}.
 * No tasks, no queues, no work stealing: who does what was decided by the plan.
 *
 * <p>Waiting spins (the steps between barriers last microseconds, far less than a park/unpark
 * round trip); between forward passes, idle workers spin a little longer and then park.
 */
final class WorkerTeam implements AutoCloseable {
    /** Spins before an idle worker parks: ~50 µs, longer than the gap between two decode steps' passes. */
    private static final int SPINS_BEFORE_PARK = 20_000;

    /** Runs step {@code index} as worker {@code worker}. */
    interface StepRunner {
        void run(int index, int worker);
    }

    private final int size;
    private final Thread[] threads;
    private final SpinBarrier barrier;
    private final AtomicInteger generation = new AtomicInteger();
    private volatile StepRunner runner;
    private volatile int stepCount;
    private volatile StepTimes times;
    private volatile boolean closed;
    private volatile Throwable failure;

    WorkerTeam(int size, String name) {
        this.size = size;
        this.barrier = new SpinBarrier(size);
        this.threads = new Thread[size];
        threads[0] = null;
        for (int w = 1; w < size; w++) {
            int worker = w;
            threads[w] = Thread.ofPlatform().daemon().name(name + "-worker-" + w).unstarted(() -> loop(worker));
            threads[w].start();
        }
    }

    int size() {
        return size;
    }

    /** The worker threads other than the caller (for measuring their allocations). */
    Thread[] helpers() {
        Thread[] helpers = new Thread[size - 1];
        System.arraycopy(threads, 1, helpers, 0, size - 1);
        return helpers;
    }

    /**
     * Runs steps 0..count-1 on every worker, the caller being worker 0; returns when all are done.
     * With {@code timesOrNull}, each worker adds its time per step to it.
     */
    void run(StepRunner steps, int count, StepTimes timesOrNull) {
        runner = steps;
        stepCount = count;
        times = timesOrNull;
        generation.incrementAndGet();
        for (int w = 1; w < size; w++) {
            LockSupport.unpark(threads[w]);
        }
        work(0, steps, count, timesOrNull);
        Throwable t = failure;
        if (t != null) {
            failure = null;
            throw new IllegalStateException("a worker failed", t);
        }
    }

    private void loop(int worker) {
        int seen = 0;
        while (true) {
            int spins = 0;
            while (generation.get() == seen && !closed) {
                if (++spins < SPINS_BEFORE_PARK) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation.get();
            work(worker, runner, stepCount, times);
        }
    }

    private void work(int worker, StepRunner steps, int count, StepTimes timesOrNull) {
        for (int i = 0; i < count; i++) {
            long start = timesOrNull == null ? 0 : System.nanoTime();
            try {
                steps.run(i, worker);
            } catch (Throwable t) {
                failure = t;
            }
            if (timesOrNull == null) {
                barrier.await();
            } else {
                long ran = System.nanoTime();
                barrier.await();
                timesOrNull.add(worker, i, ran - start, System.nanoTime() - ran);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (int w = 1; w < size; w++) {
            LockSupport.unpark(threads[w]);
        }
    }

    /** A sense-reversing spin barrier: allocation-free, and the last arriver releases everyone. */
    private static final class SpinBarrier {
        private static final int SPINS_BEFORE_YIELD = 2_000;
        private final int parties;
        private final AtomicInteger arrived = new AtomicInteger();
        private volatile int phase;

        SpinBarrier(int parties) {
            this.parties = parties;
        }

        void await() {
            if (parties == 1) {
                return;
            }
            int current = phase;
            if (arrived.incrementAndGet() == parties) {
                arrived.set(0);
                phase = current + 1;
                return;
            }
            // Spin first (a step lasts microseconds); yield after a while so that a team larger than
            // the number of cores still makes progress instead of spinning away its time slices.
            int spins = 0;
            while (phase == current) {
                if (++spins < SPINS_BEFORE_YIELD) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
