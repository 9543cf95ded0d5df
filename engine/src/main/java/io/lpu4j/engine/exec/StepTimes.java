package io.lpu4j.engine.exec;

/**
 * Where a forward pass spends its time, step by step: for each worker and each step of the plan,
 * the nanoseconds spent running it and then waiting at the barrier after it, summed over the passes
 * run while these times were attached ({@link Executor#timeSteps}). Preallocated, so timing
 * allocates nothing per pass; written only by the worker it belongs to.
 */
public final class StepTimes {
    private final long[][] running;
    private final long[][] waiting;

    public StepTimes(int workers, int steps) {
        this.running = new long[workers][steps];
        this.waiting = new long[workers][steps];
    }

    public int workers() {
        return running.length;
    }

    public int steps() {
        return running[0].length;
    }

    /** Nanoseconds worker {@code worker} spent in step {@code step}. */
    public long running(int worker, int step) {
        return running[worker][step];
    }

    /** Nanoseconds worker {@code worker} waited at the barrier after step {@code step}. */
    public long waiting(int worker, int step) {
        return waiting[worker][step];
    }

    void add(int worker, int step, long runNanos, long waitNanos) {
        running[worker][step] += runNanos;
        waiting[worker][step] += waitNanos;
    }
}
