package io.lpu4j.bench.endtoend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * The machine's read bandwidth as the engine sees it: a plain vector sum over a 64-byte-aligned
 * off-heap buffer much larger than the caches, split among {@code threads} threads like the
 * executor splits weight rows. The median of several passes, in bytes per second.
 */
public final class ReadBandwidth {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private ReadBandwidth() {
    }

    public static double bytesPerSecond(long bytes, int threads, int passes) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            double[] rates = new double[passes];
            float[] sinks = new float[threads];
            for (int pass = 0; pass < passes; pass++) {
                long start = System.nanoTime();
                CountDownLatch done = new CountDownLatch(threads);
                long share = bytes / threads / 64 * 64;
                for (int t = 0; t < threads; t++) {
                    int index = t;
                    Thread.ofPlatform().start(() -> {
                        sinks[index] += sum(buffer, index * share, share);
                        done.countDown();
                    });
                }
                await(done);
                rates[pass] = share * threads / ((System.nanoTime() - start) / 1e9);
            }
            Arrays.sort(rates);
            // The sinks keep the sums alive, so the loads cannot be optimized away.
            return rates[passes / 2] + (sinks[0] == Float.MIN_VALUE ? 1 : 0);
        }
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
