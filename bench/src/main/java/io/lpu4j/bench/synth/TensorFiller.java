package io.lpu4j.bench.synth;

import io.lpu4j.weights.Bf16;
import io.lpu4j.weights.DType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Fills a tensor's slice of the memory-mapped output using several threads. Workers draw the values
 * of fixed-size chunks into their own heap buffers; the thread that owns the mapping (the safetensors
 * writer maps with a confined arena) copies each wave of chunks in while the workers draw the next
 * wave into a second bank of buffers, so no core idles during the copy (which is where the kernel
 * allocates the file's pages). The heap never holds more than a few megabytes of a tensor, however
 * large the tensor.
 */
final class TensorFiller implements AutoCloseable {
    static final int CHUNK_ELEMENTS = 1 << 18;
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One chunk's buffers, reused wave after wave. */
    private record Slot(float[] values, MemorySegment bytes) {
        Slot() {
            this(new float[CHUNK_ELEMENTS], MemorySegment.ofArray(new byte[CHUNK_ELEMENTS * Float.BYTES]));
        }
    }

    private final ExecutorService pool;
    /** Two banks: one being copied out while the other is being filled. */
    private final Slot[][] banks;

    TensorFiller(int threads) {
        this.pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("synth-", 0).factory());
        // Two chunks a thread per wave, so a thread that finishes early has another to take.
        this.banks = new Slot[2][2 * threads];
        for (Slot[] bank : banks) {
            for (int i = 0; i < bank.length; i++) {
                bank[i] = new Slot();
            }
        }
    }

    /**
     * Writes every element of {@code spec}, drawn with {@code seed}, as {@code dtype} into {@code out}.
     *
     * @param bytesWritten told the number of bytes after each wave
     */
    void fill(WeightSpec spec, long seed, DType dtype, MemorySegment out, LongConsumer bytesWritten) {
        WeightGenerator generator = new WeightGenerator(seed, spec);
        long elements = spec.elementCount();
        long waveElements = (long) CHUNK_ELEMENTS * banks[0].length;
        long waves = (elements + waveElements - 1) / waveElements;
        List<Future<?>> drawing = draw(generator, dtype, 0, elements, banks[0]);
        for (long wave = 0; wave < waves; wave++) {
            awaitAll(drawing);
            if (wave + 1 < waves) {
                drawing = draw(generator, dtype, (wave + 1) * waveElements, elements, banks[(int) ((wave + 1) % 2)]);
            }
            bytesWritten.accept(copy(banks[(int) (wave % 2)], wave * waveElements, elements, dtype, out));
        }
    }

    /** Starts drawing the chunks of the wave at {@code waveStart} into {@code bank}. */
    private List<Future<?>> draw(WeightGenerator generator, DType dtype, long waveStart, long elements, Slot[] bank) {
        List<Future<?>> tasks = new ArrayList<>();
        for (int s = 0; s < bank.length && waveStart + (long) s * CHUNK_ELEMENTS < elements; s++) {
            Slot slot = bank[s];
            long first = waveStart + (long) s * CHUNK_ELEMENTS;
            int count = (int) Math.min(CHUNK_ELEMENTS, elements - first);
            tasks.add(pool.submit(() -> {
                generator.values(first, slot.values, count);
                encode(slot.values, count, dtype, slot.bytes);
            }));
        }
        return tasks;
    }

    /** Copies the drawn wave at {@code waveStart} from {@code bank} into {@code out}; returns the bytes copied. */
    private static long copy(Slot[] bank, long waveStart, long elements, DType dtype, MemorySegment out) {
        long copied = 0;
        for (int s = 0; s < bank.length && waveStart + (long) s * CHUNK_ELEMENTS < elements; s++) {
            long first = waveStart + (long) s * CHUNK_ELEMENTS;
            long bytes = Math.min(CHUNK_ELEMENTS, elements - first) * dtype.bytes();
            MemorySegment.copy(bank[s].bytes, 0, out, first * dtype.bytes(), bytes);
            copied += bytes;
        }
        return copied;
    }

    private static void awaitAll(List<Future<?>> tasks) {
        try {
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while synthesizing weights", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Stores floats as F32, F16 or BF16 (both rounded to nearest even), little-endian. */
    static void encode(float[] values, int count, DType dtype, MemorySegment out) {
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out.setAtIndex(F32_LE, i, values[i]);
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out.setAtIndex(I16_LE, i, Float.floatToFloat16(values[i]));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out.setAtIndex(I16_LE, i, Bf16.fromFloat(values[i]));
                }
            }
            default -> throw new IllegalArgumentException("synthetic weights are F32, F16 or BF16, not " + dtype);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
