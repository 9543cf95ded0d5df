package io.lpu4j.weights;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.lpu4j.weights.SafetensorsBytes.assertRefused;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model directories: a single file, a sharded index, and the ways an index can point wrong. */
class CheckpointTest {
    @TempDir
    Path root;
    private Path model;

    private static final SafetensorsWriter.Entry A = SafetensorsWriter.Entry.ofFloats("a", DType.F32, new long[] {3, 4},
            TestTensors.gaussian(1, 12));
    private static final SafetensorsWriter.Entry B = SafetensorsWriter.Entry.ofFloats("b", DType.BF16, new long[] {5},
            TestTensors.gaussian(2, 5));
    private static final SafetensorsWriter.Entry C = new SafetensorsWriter.Entry("c", DType.F8_E4M3, new long[] {2, 2},
            dst -> dst.copyFrom(MemorySegment.ofArray(new byte[] {0x38, (byte) 0xB0, 0x7E, 0x01})));
    private static final SafetensorsWriter.Entry D = SafetensorsWriter.Entry.ofFloats("d", DType.F32, new long[] {},
            new float[] {42f});

    @BeforeEach
    void makeModelDirectory() throws IOException {
        model = Files.createDirectory(root.resolve("model"));
    }

    private void writeShards() {
        SafetensorsWriter.write(model.resolve("model-00001-of-00002.safetensors"), List.of(A, C), Map.of("format", "pt"));
        SafetensorsWriter.write(model.resolve("model-00002-of-00002.safetensors"), List.of(B, D), Map.of("format", "pt"));
        writeIndex("""
                {"metadata": {"total_size": 70},
                 "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors",
                                "c": "model-00001-of-00002.safetensors", "d": "model-00002-of-00002.safetensors"}}""");
    }

    private Path writeIndex(String json) {
        return SafetensorsBytes.writeRaw(model.resolve(Checkpoint.INDEX_FILE), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void shardedCheckpointGivesTheSameTensorsAsTheSingleFile() throws IOException {
        Path single = Files.createDirectory(root.resolve("single"));
        SafetensorsWriter.write(single.resolve(Checkpoint.SINGLE_FILE), List.of(A, B, C, D), Map.of());
        writeShards();
        try (Checkpoint one = Checkpoint.open(single); Checkpoint sharded = Checkpoint.open(model)) {
            assertEquals(List.of("a", "b", "c", "d"), List.copyOf(sharded.tensors().keySet()));
            assertEquals(new TreeMap<>(one.tensors()).keySet(), new TreeMap<>(sharded.tensors()).keySet());
            for (String name : one.tensors().keySet()) {
                TensorView expected = one.tensor(name);
                TensorView actual = sharded.tensor(name);
                assertEquals(expected.dtype(), actual.dtype(), name);
                assertArrayEquals(expected.shape(), actual.shape(), name);
                assertEquals(-1, expected.data().mismatch(actual.data()), name);
                assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), name);
            }
            assertTrue(sharded.tensor("a").file().endsWith("model-00001-of-00002.safetensors"));
            assertTrue(sharded.tensor("d").file().endsWith("model-00002-of-00002.safetensors"));
        }
    }

    @Test
    void modelDirectoryGivenThroughDotDot() throws IOException {
        writeShards();
        Files.createDirectory(root.resolve("elsewhere"));
        try (Checkpoint c = Checkpoint.open(root.resolve("elsewhere/../model"))) {
            assertEquals(4, c.tensors().size());
        }
    }

    @Test
    void indexNamingAMissingFile() {
        writeShards();
        Path index = writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"gone.safetensors\"}}");
        assertRefused(index, "b", "weight_map names 'gone.safetensors', which does not exist", () -> Checkpoint.open(model));
    }

    @Test
    void indexNamingAFileOutsideTheDirectory() throws IOException {
        SafetensorsWriter.write(root.resolve("x.safetensors"), List.of(A), Map.of());
        Files.createDirectory(model.resolve("sub"));
        SafetensorsWriter.write(model.resolve("sub/y.safetensors"), List.of(A), Map.of());
        for (String name : List.of("../x.safetensors", root.resolve("x.safetensors").toString(), "sub/y.safetensors",
                "sub/../../x.safetensors")) {
            Path index = writeIndex("{\"weight_map\": {\"a\": \"" + name + "\"}}");
            assertRefused(index, "a", "weight_map names '" + name + "', which is not a file in the model directory",
                    () -> Checkpoint.open(model));
        }
    }

    @Test
    void indexNamingATensorAbsentFromItsFile() {
        writeShards();
        writeIndex("{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00001-of-00002.safetensors\"}}");
        assertRefused(model.resolve("model-00001-of-00002.safetensors"), "b",
                "listed in model.safetensors.index.json but absent from this file", () -> Checkpoint.open(model));
    }

    @Test
    void malformedShardIsNamed() {
        writeShards();
        Path shard = SafetensorsBytes.writeRaw(model.resolve("model-00002-of-00002.safetensors"), new byte[3]);
        assertRefused(shard, null, "too short", () -> Checkpoint.open(model));
    }

    @Test
    void malformedIndex() {
        Path index = writeIndex("{\"weight_map\": ");
        assertRefused(index, null, "not valid JSON", () -> Checkpoint.open(model));
        writeIndex("{\"weight_map\": {}} {}");
        assertRefused(index, null, "not valid JSON", () -> Checkpoint.open(model));
        writeIndex("{\"metadata\": {}}");
        assertRefused(index, null, "no 'weight_map' object", () -> Checkpoint.open(model));
        writeIndex("[]");
        assertRefused(index, null, "no 'weight_map' object", () -> Checkpoint.open(model));
        writeIndex("{\"weight_map\": [\"a\"]}");
        assertRefused(index, null, "no 'weight_map' object", () -> Checkpoint.open(model));
        writeIndex("{\"weight_map\": {\"a\": 3}}");
        assertRefused(index, "a", "weight_map value is not a file name", () -> Checkpoint.open(model));
    }

    @Test
    void directoryWithoutACheckpoint() throws IOException {
        Files.writeString(model.resolve("config.json"), "{}");
        assertRefused(model, null, "no model.safetensors or model.safetensors.index.json in this directory",
                () -> Checkpoint.open(model));
        assertRefused(root.resolve("absent"), null, "no model.safetensors", () -> Checkpoint.open(root.resolve("absent")));
    }

    @Test
    void missingTensorIsNamed() {
        writeShards();
        try (Checkpoint c = Checkpoint.open(model)) {
            assertRefused(model, "lm_head.weight", "missing from the checkpoint", () -> c.tensor("lm_head.weight"));
            assertTrue(c.find("lm_head.weight").isEmpty());
            assertEquals(42f, c.find("d").orElseThrow().getFloat(0));
        }
    }

    @Test
    void openFileReadsOneFile() {
        Path file = model.resolve("weights.safetensors");
        SafetensorsWriter.write(file, List.of(A, D), Map.of());
        try (Checkpoint c = Checkpoint.openFile(file)) {
            assertEquals(List.of("a", "d"), List.copyOf(c.tensors().keySet()));
            assertEquals(model, c.directory());
        }
    }
}
