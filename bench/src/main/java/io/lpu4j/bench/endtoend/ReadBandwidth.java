package io.lpu4j.bench.endtoend;

import io.lpu4j.engine.exec.HugePages;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machine's read bandwidth as the engine sees it: a plain vector sum over a 64-byte-aligned
 * off-heap buffer much larger than the caches, split among {@code threads} threads like the
 * executor splits weight rows. Passes are taken between the timed runs they are compared with (the
 * shared machine's bandwidth drifts by tens of percent within a minute); the benchmark takes the
 * median of the passes beside a format's runs.
 */
final class ReadBandwidth implements AutoCloseable {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Calls of {@link #sum} over a cached slice per {@link #exercise()}. */
    private static final int EXERCISE_CALLS = 1_000;
    private static final long EXERCISE_SLICE = 64 * 1024;
    /** {@link #sum} reads whole pairs of vectors: lengths and offsets are kept multiples of this. */
    private static final long CHUNK = 128;
    /** Untimed steps before {@link #stepTimes} times any (the helper threads' first loop compiles). */
    private static final int UNTIMED_STEPS = 3;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final int threads;
    /** Bytes each thread sums in a pass. */
    private final long share;
    /** Where each thread leaves its sum: stored, so the loads cannot be optimized away. */
    private final float[] sinks;

    ReadBandwidth(long bytes, int threads) {
        this.buffer = HugePages.allocate(arena, bytes, 64);
        this.threads = threads;
        this.share = bytes / threads / CHUNK * CHUNK;
        this.sinks = new float[threads];
        buffer.fill((byte) 1);
    }

    /**
     * Runs the sum over a cached slice, for the benchmark's warm-up rounds: interpreted or
     * C1-compiled vector code boxes every vector, gigabytes of garbage whose collection would pause
     * the timed runs this probe sits between, so C2 must have compiled it (again, if classes the
     * engine loads later invalidated the first compilation) before they start.
     */
    void exercise() {
        for (int i = 0; i < EXERCISE_CALLS; i++) {
            sinks[0] += sum(buffer, 0, Math.min(EXERCISE_SLICE, buffer.byteSize()));
        }
        // The threaded path too: its first run links a lambda and spins a class, work that would
        // otherwise compete with the first timed run for the two cores.
        sumInThreads(Math.min(EXERCISE_SLICE, share));
    }

    /** {@code passes} measurements, bytes per second each. */
    double[] measure(int passes) {
        double[] rates = new double[passes];
        for (int pass = 0; pass < passes; pass++) {
            long start = System.nanoTime();
            sumInThreads(share);
            rates[pass] = share * threads / ((System.nanoTime() - start) / 1e9);
        }
        return rates;
    }

    /**
     * The host's own spread of latencies for decode-sized work: {@code steps} reads of
     * {@code bytesPerStep} bytes each, split among the threads, each thread walking its part of the
     * buffer round and round (so no step finds its bytes in a cache), the threads meeting by spinning
     * after every step as the executor's workers do. Returns each step's duration in nanoseconds. A
     * decode step reads its weights the same way, so the p99/p50 of these times is the floor the
     * machine puts under the decode's p99/p50.
     */
    long[] stepTimes(long bytesPerStep, int steps) {
        long perThread = Math.max(CHUNK, bytesPerStep / threads / CHUNK * CHUNK);
        long[] cursors = new long[threads];
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        int total = UNTIMED_STEPS + steps;
        CountDownLatch helpersDone = new CountDownLatch(threads - 1);
        for (int t = 1; t < threads; t++) {
            int index = t;
            Thread.ofPlatform().start(() -> {
                for (int step = 1; step <= total; step++) {
                    while (started.get() < step) {
                        Thread.onSpinWait();
                    }
                    readOnward(index, perThread, cursors);
                    finished.incrementAndGet();
                }
                helpersDone.countDown();
            });
        }
        long[] times = new long[steps];
        for (int step = 1; step <= total; step++) {
            long start = System.nanoTime();
            started.set(step);
            readOnward(0, perThread, cursors);
            while (finished.get() < (threads - 1) * step) {
                Thread.onSpinWait();
            }
            if (step > UNTIMED_STEPS) {
                times[step - UNTIMED_STEPS - 1] = System.nanoTime() - start;
            }
        }
        await(helpersDone);
        return times;
    }

    /** Thread {@code t} sums the next {@code length} bytes of its part of the buffer, wrapping around. */
    private void readOnward(int t, long length, long[] cursors) {
        for (long left = length; left > 0; ) {
            long n = Math.min(left, share - cursors[t]);
            sinks[t] += sum(buffer, t * share + cursors[t], n);
            cursors[t] = (cursors[t] + n) % share;
            left -= n;
        }
    }

    /** Each thread sums {@code length} bytes, thread t from byte t · length. */
    private void sumInThreads(long length) {
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread.ofPlatform().start(() -> {
                sinks[index] += sum(buffer, index * length, length);
                done.countDown();
            });
        }
        await(done);
    }

    @Override
    public void close() {
        arena.close();
    }

    private static float sum(MemorySegment buffer, long from, long length) {
        FloatVector a = FloatVector.zero(F);
        FloatVector b = a;
        long step = F.vectorByteSize();
        long end = from + length - 2 * step;
        for (long at = from; at <= end; at += 2 * step) {
            a = a.add(FloatVector.fromMemorySegment(F, buffer, at, ByteOrder.nativeOrder()));
            b = b.add(FloatVector.fromMemorySegment(F, buffer, at + step, ByteOrder.nativeOrder()));
        }
        return a.add(b).lane(0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
