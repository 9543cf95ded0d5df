package io.lpu4j.engine.exec;

import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.ShardPlan;
import io.lpu4j.engine.plan.StorageType;
import io.lpu4j.engine.plan.TensorPlacement;
import io.lpu4j.weights.Bf16;
import io.lpu4j.engine.model.WeightSource;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.Granularity;
import io.lpu4j.weights.QuantizedTensor;
import io.lpu4j.weights.Quantizer;
import io.lpu4j.weights.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shards of a plan as off-heap memory, filled from a checkpoint (each tensor converted or
 * quantized to its storage type and copied, row by row, to where the plan put it) or mapped from the
 * {@link ShardCache}.
 */
final class WeightStore {
    private final Map<String, PiecedMatrix> matrices = new LinkedHashMap<>();
    private final Map<String, MemorySegment> vectors = new LinkedHashMap<>();
    private final boolean fromCache;

    private WeightStore(boolean fromCache) {
        this.fromCache = fromCache;
    }

    /**
     * The plan's shards, read from the cache if it holds them, otherwise filled from the checkpoint
     * (and stored in the cache, if there is one).
     *
     * @param cache may be null: fill in memory only
     */
    static WeightStore load(Plan plan, Checkpoint checkpoint, Arena arena, ShardCache cache) {
        Map<String, List<TensorPlacement>> byTensor = new LinkedHashMap<>();
        for (ShardPlan shard : plan.shards()) {
            for (TensorPlacement p : shard.placements()) {
                byTensor.computeIfAbsent(p.tensor(), k -> new ArrayList<>()).add(p);
            }
        }
        Path entry = cache == null ? null : cache.entry(plan, checkpoint);
        Optional<MemorySegment[]> cached = cache == null ? Optional.empty() : cache.load(entry, plan, arena);
        MemorySegment[] shards = cached.orElseGet(() -> fill(plan, checkpoint, arena, byTensor));
        if (cache != null && cached.isEmpty()) {
            cache.store(entry, shards);
        }
        WeightStore store = new WeightStore(cached.isPresent());
        int blockSize = plan.settings().blockSize();
        for (Map.Entry<String, List<TensorPlacement>> e : byTensor.entrySet()) {
            List<TensorPlacement> pieces = e.getValue();
            TensorPlacement first = pieces.get(0);
            if (first.rows() == 1 && first.storage() == StorageType.F32) {
                store.vectors.put(e.getKey(), shards[first.shard()].asSlice(first.offset(), (long) first.cols() * Float.BYTES));
            } else {
                store.matrices.put(e.getKey(), pieced(pieces, shards, blockSize));
                KernelWarmUp.run(first.storage(), arena);
            }
        }
        return store;
    }

    /** Zeroed memory for one shard, filled here or read from the shard cache: on huge pages where granted. */
    static MemorySegment shardMemory(Arena arena, ShardPlan shard) {
        return HugePages.allocate(arena, Math.max(1, shard.bytes()), RowLayout.ALIGNMENT);
    }

    /** Converts or quantizes every tensor into freshly allocated shards. */
    private static MemorySegment[] fill(Plan plan, Checkpoint checkpoint, Arena arena,
                                        Map<String, List<TensorPlacement>> byTensor) {
        MemorySegment[] shards = new MemorySegment[plan.shards().size()];
        for (ShardPlan shard : plan.shards()) {
            shards[shard.index()] = shardMemory(arena, shard);
        }
        WeightSource weights = new WeightSource(checkpoint, plan.config());
        int blockSize = plan.settings().blockSize();
        for (Map.Entry<String, List<TensorPlacement>> entry : byTensor.entrySet()) {
            List<TensorPlacement> pieces = entry.getValue();
            TensorPlacement first = pieces.get(0);
            TensorView source = weights.tensor(entry.getKey(), first.rows(), first.cols());
            Optional<QuantizedTensor> stored = weights.fp8(source);
            // Shared, as every arena lpu4j opens: a confined one puts a second kind of memory session
            // into the profile of the segment access checks every kernel shares, and C2 then compiled
            // the prefill tiles with boxed vectors (10× slower prefill: PrefillAllocationTest).
            try (Arena scratch = Arena.ofShared()) {
                if (first.storage().scaled()) {
                    copyQuantized(quantized(source, stored, first.storage(), blockSize, scratch), pieces, shards, blockSize);
                } else {
                    RowReader rows = stored.isPresent() ? stored.get()::dequantizeRow
                            : (r, dst) -> source.readFloats((long) r * first.cols(), dst, 0, first.cols());
                    for (TensorPlacement p : pieces) {
                        fillFloats(rows, p, shards[p.shard()]);
                    }
                }
            }
        }
        return shards;
    }

    /** True if the shards were read from the cache rather than filled. */
    boolean fromCache() {
        return fromCache;
    }

    PiecedMatrix matrix(String name) {
        PiecedMatrix m = matrices.get(name);
        if (m == null) {
            throw new IllegalStateException("no matrix " + name + " in the shards");
        }
        return m;
    }

    /** An F32 vector (norm weight, bias), or null if the plan has none of that name. */
    MemorySegment vectorOrNull(String name) {
        return vectors.get(name);
    }

    /** Row r of a tensor as floats into dst[0..cols). */
    private interface RowReader {
        void read(int row, float[] dst);
    }

    /**
     * The tensor's codes and scales in the storage's format: the checkpoint's own when it already is
     * that format (so an FP8 checkpoint loads bit for bit), otherwise quantized here (from the
     * dequantized values if the checkpoint holds another FP8 layout).
     */
    private static QuantizedTensor quantized(TensorView source, Optional<QuantizedTensor> stored, StorageType storage,
                                             int blockSize, Arena scratch) {
        CodeType code = storage.codeType();
        Granularity granularity = storage.granularity();
        if (stored.isPresent()) {
            QuantizedTensor q = stored.get();
            boolean same = q.codeType() == code && q.granularity() == granularity
                    && (granularity != Granularity.BLOCK || q.blockSize() == blockSize);
            return same ? q : Quantizer.quantize(source.name(), q.dequantize(), q.rows(), q.cols(), code, granularity,
                    blockSize, scratch);
        }
        return Quantizer.quantize(source, code, granularity, blockSize, scratch);
    }

    /**
     * F32 or BF16 (round to nearest even) rows into the placement, padding left zero, then arranged
     * as the type's kernel reads them.
     */
    private static void fillFloats(RowReader source, TensorPlacement p, MemorySegment shard) {
        int stride = RowLayout.stride(p.cols(), p.storage().elementBytes());
        float[] row = new float[p.cols()];
        for (int r = p.rowFrom(); r < p.rowTo(); r++) {
            source.read(r, row);
            long base = p.offset() / p.storage().elementBytes() + (long) (r - p.rowFrom()) * stride;
            for (int k = 0; k < p.cols(); k++) {
                if (p.storage() == StorageType.F32) {
                    shard.setAtIndex(ValueLayout.JAVA_FLOAT, base + k, row[k]);
                } else {
                    shard.setAtIndex(ValueLayout.JAVA_SHORT, base + k, Bf16.fromFloat(row[k]));
                }
            }
        }
        p.storage().arrange(shard.asSlice(p.offset(), p.dataBytes()), p.rowCount(), stride, 0); // no blocks
    }

    /** Copies each piece's rows (padded, and interleaved as the kernels read them) and its scales. */
    private static void copyQuantized(QuantizedTensor q, List<TensorPlacement> pieces, MemorySegment[] shards,
                                      int blockSize) {
        for (TensorPlacement p : pieces) {
            MemorySegment shard = shards[p.shard()];
            int stride = RowLayout.stride(p.cols(), 1);
            for (int r = p.rowFrom(); r < p.rowTo(); r++) {
                MemorySegment.copy(q.codes(), (long) r * p.cols(), shard,
                        p.offset() + (long) (r - p.rowFrom()) * stride, p.cols());
            }
            p.storage().arrange(shard.asSlice(p.offset(), p.dataBytes()), p.rowCount(), stride, blockSize);
            long firstScale = switch (q.granularity()) {
                case TENSOR -> 0;
                case CHANNEL -> p.rowFrom();
                case BLOCK -> (long) (p.rowFrom() / blockSize) * Math.ceilDiv(p.cols(), blockSize);
            };
            for (long i = 0; i < p.scalesBytes() / Float.BYTES; i++) {
                shard.setAtIndex(ValueLayout.JAVA_FLOAT, p.scalesOffset() / Float.BYTES + i,
                        q.scales().getAtIndex(QuantizedTensor.SCALE, firstScale + i));
            }
        }
    }

    private static PiecedMatrix pieced(List<TensorPlacement> pieces, MemorySegment[] shards, int blockSize) {
        WeightMatrix[] matrices = new WeightMatrix[pieces.size()];
        int[] firstRows = new int[pieces.size()];
        for (int i = 0; i < matrices.length; i++) {
            TensorPlacement p = pieces.get(i);
            MemorySegment shard = shards[p.shard()];
            MemorySegment data = shard.asSlice(p.offset(), p.dataBytes());
            MemorySegment scales = shard.asSlice(p.scalesOffset(), p.scalesBytes());
            matrices[i] = p.storage().matrix(data, scales, p.rowCount(), p.cols(), blockSize);
            firstRows[i] = p.rowFrom();
        }
        return new PiecedMatrix(matrices, firstRows);
    }
}
