package io.lpu4j.weights;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The weights of a Hugging Face model directory: either one {@code model.safetensors} or the files
 * named by {@code model.safetensors.index.json}. All files are mapped into one shared arena, so the
 * tensors can be read from any thread until {@link #close()}.
 */
public final class Checkpoint implements AutoCloseable {
    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private final Arena arena;
    private final Path directory;
    private final Map<String, TensorView> tensors;

    private Checkpoint(Arena arena, Path directory, Map<String, TensorView> tensors) {
        this.arena = arena;
        this.directory = directory;
        this.tensors = tensors;
    }

    /**
     * Opens the checkpoint in {@code modelDir}: the index if there is one, else the single file.
     *
     * @throws InvalidCheckpointException if neither exists or anything in them is malformed
     */
    public static Checkpoint open(Path modelDir) {
        Path index = modelDir.resolve(INDEX_FILE);
        Path single = modelDir.resolve(SINGLE_FILE);
        Arena arena = Arena.ofShared();
        try {
            Map<String, TensorView> tensors;
            if (Files.isRegularFile(index)) {
                tensors = openSharded(index, arena);
            } else if (Files.isRegularFile(single)) {
                tensors = SafetensorsFile.open(single, arena).tensors();
            } else {
                throw new InvalidCheckpointException(modelDir,
                        "no " + SINGLE_FILE + " or " + INDEX_FILE + " in this directory");
            }
            return new Checkpoint(arena, modelDir, tensors);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Opens a single safetensors file as a checkpoint. */
    public static Checkpoint openFile(Path file) {
        Arena arena = Arena.ofShared();
        try {
            return new Checkpoint(arena, file.getParent(), SafetensorsFile.open(file, arena).tensors());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static Map<String, TensorView> openSharded(Path index, Arena arena) {
        JsonNode weightMap = readWeightMap(index);
        // Normalized like each shard path below, or a model directory given as "x/../model" would make
        // every shard look as if it lay outside the directory.
        Path dir = index.toAbsolutePath().normalize().getParent();
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : weightMap.properties()) {
            String tensorName = entry.getKey();
            if (!entry.getValue().isTextual()) {
                throw new InvalidCheckpointException(index, tensorName, "weight_map value is not a file name");
            }
            String fileName = entry.getValue().asText();
            Path file = dir.resolve(fileName).normalize();
            if (!file.getParent().equals(dir)) {
                throw new InvalidCheckpointException(index, tensorName,
                        "weight_map names '" + fileName + "', which is not a file in the model directory");
            }
            if (!Files.isRegularFile(file)) {
                throw new InvalidCheckpointException(index, tensorName,
                        "weight_map names '" + fileName + "', which does not exist");
            }
            SafetensorsFile shard = files.computeIfAbsent(fileName, name -> SafetensorsFile.open(file, arena));
            TensorView tensor = shard.tensors().get(tensorName);
            if (tensor == null) {
                throw new InvalidCheckpointException(file, tensorName,
                        "listed in " + index.getFileName() + " but absent from this file");
            }
            tensors.put(tensorName, tensor);
        }
        return Collections.unmodifiableMap(tensors);
    }

    private static JsonNode readWeightMap(Path index) {
        JsonNode root = JsonFiles.read(index);
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new InvalidCheckpointException(index, "no 'weight_map' object");
        }
        return weightMap;
    }

    public Path directory() {
        return directory;
    }

    /** All tensors by name, in checkpoint order. */
    public Map<String, TensorView> tensors() {
        return tensors;
    }

    public Optional<TensorView> find(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** The named tensor, or an error naming the directory and the tensor. */
    public TensorView tensor(String name) {
        TensorView t = tensors.get(name);
        if (t == null) {
            throw new InvalidCheckpointException(directory, name, "missing from the checkpoint");
        }
        return t;
    }

    /** Unmaps every file; tensors must not be used afterwards. */
    @Override
    public void close() {
        arena.close();
    }
}
