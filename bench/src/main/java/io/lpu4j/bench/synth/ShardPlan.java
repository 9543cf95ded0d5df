package io.lpu4j.bench.synth;

import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which tensors go into which safetensors file. Like Hugging Face's {@code max_shard_size}: tensors
 * keep their order, and a new file starts when the next tensor would push the current one past the
 * limit (a tensor larger than the limit gets a file of its own). One file is named
 * {@code model.safetensors}; several are {@code model-00001-of-0000N.safetensors} with an index.
 */
public record ShardPlan(List<Shard> shards) {

    /** One file: its name and tensors. */
    public record Shard(String fileName, List<WeightSpec> tensors, DType dtype) {
        /** Bytes of tensor data (the file adds a header). */
        public long dataBytes() {
            return tensors.stream().mapToLong(t -> t.elementCount() * dtype.bytes()).sum();
        }
    }

    public static ShardPlan split(List<WeightSpec> tensors, DType dtype, long maxFileBytes) {
        List<List<WeightSpec>> groups = new ArrayList<>();
        List<WeightSpec> current = new ArrayList<>();
        long currentBytes = 0;
        for (WeightSpec t : tensors) {
            long bytes = t.elementCount() * dtype.bytes();
            if (!current.isEmpty() && currentBytes + bytes > maxFileBytes) {
                groups.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(t);
            currentBytes += bytes;
        }
        groups.add(current);

        List<Shard> shards = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String name = groups.size() == 1 ? Checkpoint.SINGLE_FILE
                    : String.format("model-%05d-of-%05d.safetensors", i + 1, groups.size());
            shards.add(new Shard(name, List.copyOf(groups.get(i)), dtype));
        }
        return new ShardPlan(List.copyOf(shards));
    }

    public boolean sharded() {
        return shards.size() > 1;
    }

    public long dataBytes() {
        return shards.stream().mapToLong(Shard::dataBytes).sum();
    }

    /** The content of model.safetensors.index.json, keys sorted as Hugging Face writes them. */
    public Map<String, Object> index() {
        Map<String, String> weightMap = new TreeMap<>();
        for (Shard shard : shards) {
            for (WeightSpec t : shard.tensors()) {
                weightMap.put(t.name(), shard.fileName());
            }
        }
        return Map.of("metadata", Map.of("total_size", dataBytes()), "weight_map", weightMap);
    }
}
