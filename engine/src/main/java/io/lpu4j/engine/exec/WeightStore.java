package io.lpu4j.engine.exec;

import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.kernel.Bf16Matrix;
import io.lpu4j.engine.kernel.F32Matrix;
import io.lpu4j.engine.kernel.Fp8BlockMatrix;
import io.lpu4j.engine.kernel.Fp8Matrix;
import io.lpu4j.engine.kernel.Int8Matrix;
import io.lpu4j.engine.kernel.RowLayout;
import io.lpu4j.engine.kernel.WeightMatrix;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.ShardPlan;
import io.lpu4j.engine.plan.StorageType;
import io.lpu4j.engine.plan.TensorPlacement;
import io.lpu4j.weights.Bf16;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.Granularity;
import io.lpu4j.weights.QuantizedTensor;
import io.lpu4j.weights.Quantizer;
import io.lpu4j.weights.TensorView;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shards of a plan as off-heap memory, filled from a checkpoint: each tensor converted or
 * quantized to its storage type and copied, row by row, to where the plan put it.
 */
final class WeightStore {
    private final Map<String, PiecedMatrix> matrices = new LinkedHashMap<>();
    private final Map<String, MemorySegment> vectors = new LinkedHashMap<>();

    private WeightStore() {
    }

    static WeightStore load(Plan plan, Checkpoint checkpoint, Arena arena) {
        MemorySegment[] shards = new MemorySegment[plan.shards().size()];
        Map<String, List<TensorPlacement>> byTensor = new LinkedHashMap<>();
        for (ShardPlan shard : plan.shards()) {
            shards[shard.index()] = arena.allocate(Math.max(1, shard.bytes()), RowLayout.ALIGNMENT);
            for (TensorPlacement p : shard.placements()) {
                byTensor.computeIfAbsent(p.tensor(), k -> new ArrayList<>()).add(p);
            }
        }
        WeightStore store = new WeightStore();
        int blockSize = plan.settings().blockSize();
        for (Map.Entry<String, List<TensorPlacement>> entry : byTensor.entrySet()) {
            List<TensorPlacement> pieces = entry.getValue();
            TensorPlacement first = pieces.get(0);
            TensorView source = checked(checkpoint.tensor(entry.getKey()), first);
            if (first.storage().scaled()) {
                fillQuantized(source, pieces, shards, blockSize);
            } else {
                for (TensorPlacement p : pieces) {
                    fillFloats(source, p, shards[p.shard()]);
                }
            }
            if (first.rows() == 1 && first.storage() == StorageType.F32 && source.rank() == 1) {
                store.vectors.put(entry.getKey(), shards[first.shard()].asSlice(first.offset(), (long) first.cols() * Float.BYTES));
            } else {
                store.matrices.put(entry.getKey(), pieced(pieces, shards, blockSize));
            }
        }
        return store;
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

    private static TensorView checked(TensorView source, TensorPlacement p) {
        long[] expected = p.rows() == 1 && source.rank() == 1 ? new long[] {p.cols()} : new long[] {p.rows(), p.cols()};
        if (!Arrays.equals(source.shape(), expected)) {
            throw new InvalidModelException(source.file() + ": tensor '" + source.name() + "' has shape "
                    + Arrays.toString(source.shape()) + ", but config.json implies " + Arrays.toString(expected));
        }
        if (!source.dtype().isFloatingPoint()) {
            throw new InvalidModelException(source.file() + ": tensor '" + source.name() + "' has dtype "
                    + source.dtype() + ", expected a floating-point type");
        }
        return source;
    }

    /** F32 or BF16 (round to nearest even) rows into the placement, padding left zero. */
    private static void fillFloats(TensorView source, TensorPlacement p, MemorySegment shard) {
        int stride = RowLayout.stride(p.cols(), p.storage().elementBytes());
        float[] row = new float[p.cols()];
        for (int r = p.rowFrom(); r < p.rowTo(); r++) {
            source.readFloats((long) r * p.cols(), row, 0, p.cols());
            long base = p.offset() / p.storage().elementBytes() + (long) (r - p.rowFrom()) * stride;
            for (int k = 0; k < p.cols(); k++) {
                if (p.storage() == StorageType.F32) {
                    shard.setAtIndex(ValueLayout.JAVA_FLOAT, base + k, row[k]);
                } else {
                    shard.setAtIndex(ValueLayout.JAVA_SHORT, base + k, Bf16.fromFloat(row[k]));
                }
            }
        }
    }

    /** Quantizes the whole tensor once (per-tensor scales need all rows), then copies each piece. */
    private static void fillQuantized(TensorView source, List<TensorPlacement> pieces, MemorySegment[] shards,
                                      int blockSize) {
        StorageType storage = pieces.get(0).storage();
        CodeType code = storage == StorageType.INT8_CHANNEL ? CodeType.INT8 : CodeType.FP8_E4M3;
        Granularity granularity = switch (storage) {
            case FP8_TENSOR -> Granularity.TENSOR;
            case FP8_BLOCK -> Granularity.BLOCK;
            default -> Granularity.CHANNEL;
        };
        try (Arena scratch = Arena.ofConfined()) {
            QuantizedTensor q = Quantizer.quantize(source, code, granularity, blockSize, scratch);
            for (TensorPlacement p : pieces) {
                MemorySegment shard = shards[p.shard()];
                int stride = RowLayout.stride(p.cols(), 1);
                for (int r = p.rowFrom(); r < p.rowTo(); r++) {
                    MemorySegment.copy(q.codes(), (long) r * p.cols(), shard,
                            p.offset() + (long) (r - p.rowFrom()) * stride, p.cols());
                }
                long firstScale = switch (granularity) {
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
    }

    private static PiecedMatrix pieced(List<TensorPlacement> pieces, MemorySegment[] shards, int blockSize) {
        WeightMatrix[] matrices = new WeightMatrix[pieces.size()];
        int[] firstRows = new int[pieces.size()];
        for (int i = 0; i < matrices.length; i++) {
            TensorPlacement p = pieces.get(i);
            MemorySegment shard = shards[p.shard()];
            MemorySegment data = shard.asSlice(p.offset(), p.dataBytes());
            MemorySegment scales = shard.asSlice(p.scalesOffset(), p.scalesBytes());
            int rows = p.rowCount();
            matrices[i] = switch (p.storage()) {
                case F32 -> new F32Matrix(data, rows, p.cols());
                case BF16 -> new Bf16Matrix(data, rows, p.cols());
                case FP8_TENSOR, FP8_CHANNEL -> new Fp8Matrix(data, scales, rows, p.cols());
                case FP8_BLOCK -> new Fp8BlockMatrix(data, scales, rows, p.cols(), blockSize);
                case INT8_CHANNEL -> new Int8Matrix(data, scales, rows, p.cols());
            };
            firstRows[i] = p.rowFrom();
        }
        return new PiecedMatrix(matrices, firstRows);
    }
}
