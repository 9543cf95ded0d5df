package io.lpu4j.bench.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;
import io.lpu4j.weights.TensorView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model directories on disk: deterministic, shardable, readable, and never half-written. */
class SynthWriterTest {
    static final SynthPreset TINY = SynthPreset.find("test-tiny").orElseThrow();
    static final Consumer<String> SILENT = line -> { };
    static final TokenizerSource NO_TOKENIZER = new TokenizerSource.None("a test");

    static SynthRequest request(Path out, long seed, int threads, long maxFileBytes) {
        return new SynthRequest(TINY, DType.BF16, seed, maxFileBytes, threads, NO_TOKENIZER, out, false);
    }

    @Test
    void sameSeedGivesTheSameBytesWhateverTheThreadCount(@TempDir Path tmp) throws IOException {
        SynthWriter.write(request(tmp.resolve("one"), 9, 1, SynthRequest.DEFAULT_MAX_FILE_BYTES), SILENT);
        SynthWriter.write(request(tmp.resolve("three"), 9, 3, SynthRequest.DEFAULT_MAX_FILE_BYTES), SILENT);
        SynthWriter.write(request(tmp.resolve("other"), 10, 3, SynthRequest.DEFAULT_MAX_FILE_BYTES), SILENT);
        Map<String, byte[]> one = contents(tmp.resolve("one"));
        Map<String, byte[]> three = contents(tmp.resolve("three"));
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), List.copyOf(one.keySet()));
        assertEquals(one.keySet(), three.keySet());
        for (String file : one.keySet()) {
            assertArrayEquals(one.get(file), three.get(file), file);
        }
        byte[] otherSeed = contents(tmp.resolve("other")).get(Checkpoint.SINGLE_FILE);
        assertFalse(Arrays.equals(one.get(Checkpoint.SINGLE_FILE), otherSeed), "the seed must matter");
    }

    @Test
    void tensorsLargerThanOneChunkAreDeterministicToo(@TempDir Path tmp) throws IOException {
        // A 32768 x 64 embedding is 8 chunks: several waves on several threads.
        SynthPreset wide = TINY.withVocab(32768);
        for (int threads : new int[] {1, 2}) {
            SynthWriter.write(new SynthRequest(wide, DType.F32, 1, SynthRequest.DEFAULT_MAX_FILE_BYTES, threads,
                    NO_TOKENIZER, tmp.resolve("t" + threads), false), SILENT);
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("t1").resolve(Checkpoint.SINGLE_FILE)),
                Files.readAllBytes(tmp.resolve("t2").resolve(Checkpoint.SINGLE_FILE)));
    }

    @Test
    void shardedCheckpointHoldsTheSameTensorsAsOneFile(@TempDir Path tmp) throws IOException {
        long limit = 40_000;
        SynthWriter.Result single = SynthWriter.write(request(tmp.resolve("single"), 3, 2, SynthRequest.DEFAULT_MAX_FILE_BYTES), SILENT);
        SynthWriter.Result sharded = SynthWriter.write(request(tmp.resolve("sharded"), 3, 2, limit), SILENT);
        assertEquals(1, single.weightFiles());
        assertTrue(sharded.weightFiles() > 3, "expected several shards, got " + sharded.weightFiles());
        assertFalse(Files.exists(tmp.resolve("sharded").resolve(Checkpoint.SINGLE_FILE)));

        JsonNode index = new ObjectMapper().readTree(tmp.resolve("sharded").resolve(Checkpoint.INDEX_FILE).toFile());
        assertEquals(sharded.weightBytes(), index.get("metadata").get("total_size").asLong());
        assertEquals(single.weightBytes(), sharded.weightBytes());

        try (Checkpoint one = Checkpoint.open(tmp.resolve("single"));
             Checkpoint many = Checkpoint.open(tmp.resolve("sharded"))) {
            assertEquals(one.tensors().keySet(), many.tensors().keySet());
            long elements = 0;
            for (TensorView t : one.tensors().values()) {
                TensorView s = many.tensor(t.name());
                assertEquals(t.dtype(), s.dtype());
                assertArrayEquals(t.shape(), s.shape());
                assertArrayEquals(t.data().toArray(ValueLayout.JAVA_BYTE),
                        s.data().toArray(ValueLayout.JAVA_BYTE), t.name());
                elements += t.elementCount();
            }
            assertEquals(ModelWeights.parameterCount(TINY), elements);
        }
        for (int i = 1; i <= sharded.weightFiles(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i, sharded.weightFiles());
            try (Checkpoint shard = Checkpoint.openFile(tmp.resolve("sharded").resolve(name))) {
                long bytes = shard.tensors().values().stream().mapToLong(t -> t.data().byteSize()).sum();
                assertTrue(bytes <= limit || shard.tensors().size() == 1, name + " holds " + bytes + " bytes");
            }
        }
    }

    @Test
    void refusesANonEmptyDirectoryWithoutForce(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        SynthException e = assertThrows(SynthException.class,
                () -> SynthWriter.write(request(out, 0, 1, SynthRequest.DEFAULT_MAX_FILE_BYTES), SILENT));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        SynthRequest forced = new SynthRequest(TINY, DType.BF16, 0, SynthRequest.DEFAULT_MAX_FILE_BYTES, 1, NO_TOKENIZER, out, true);
        e = assertThrows(SynthException.class, () -> SynthWriter.write(forced, SILENT));
        assertTrue(e.getMessage().contains("holds no config.json"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals(List.of("busy"), names(tmp));
    }

    @Test
    void forceReplacesAModelDirectory(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("model");
        SynthWriter.write(request(out, 1, 1, 40_000), SILENT);
        assertTrue(Files.exists(out.resolve(Checkpoint.INDEX_FILE)));
        SynthWriter.write(new SynthRequest(TINY, DType.F32, 2, SynthRequest.DEFAULT_MAX_FILE_BYTES, 1, NO_TOKENIZER, out, true),
                SILENT);
        assertEquals(List.of("config.json", "generation_config.json", "model.safetensors"), names(out));
        assertEquals(List.of("model"), names(tmp), "nothing left beside the model");
        try (Checkpoint c = Checkpoint.open(out)) {
            assertEquals(DType.F32, c.tensor("lm_head.weight").dtype());
        }
    }

    @Test
    void aFailedRunLeavesNothingBehind(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("empty-target"));
        RuntimeException diskFull = new IllegalStateException("simulated failure after the first file");
        RuntimeException thrown = assertThrows(IllegalStateException.class, () -> SynthWriter.write(
                request(out, 0, 2, 40_000), line -> {
                    if (line.startsWith("  wrote ")) {
                        throw diskFull;
                    }
                }));
        assertEquals(diskFull, thrown);
        assertEquals(List.of("empty-target"), names(tmp));
        assertEquals(List.of(), names(out));
    }

    @Test
    void copiesTheTokenizerWhenGivenOne(@TempDir Path tmp) throws IOException {
        Path tokenizer = Files.createDirectories(tmp.resolve("tok"));
        Files.writeString(tokenizer.resolve("tokenizer.json"), "{\"model\": {}}");
        Files.writeString(tokenizer.resolve("tokenizer_config.json"), "{}");
        Path out = tmp.resolve("with-tokenizer");
        SynthWriter.write(new SynthRequest(TINY, DType.BF16, 0, SynthRequest.DEFAULT_MAX_FILE_BYTES, 1, new TokenizerSource.CopyFrom(tokenizer), out,
                false), SILENT);
        assertEquals("{\"model\": {}}", Files.readString(out.resolve("tokenizer.json")));

        Files.delete(tokenizer.resolve("tokenizer_config.json"));
        SynthException e = assertThrows(SynthException.class, () -> SynthWriter.write(new SynthRequest(TINY,
                DType.BF16, 0, SynthRequest.DEFAULT_MAX_FILE_BYTES, 1, new TokenizerSource.CopyFrom(tokenizer), tmp.resolve("x"), false), SILENT));
        assertTrue(e.getMessage().contains("tokenizer_config.json is missing"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void reportsEachFileAndTheTotal(@TempDir Path tmp) {
        List<String> lines = new ArrayList<>();
        SynthWriter.write(request(tmp.resolve("m"), 0, 1, 40_000), lines::add);
        assertTrue(lines.getFirst().startsWith("lpu synth: test-tiny (lpu4j test shape), 156,480 parameters, BF16, seed 0"), lines.getFirst());
        long wrote = lines.stream().filter(l -> l.startsWith("  wrote model-0")).count();
        assertNotEquals(0, wrote);
        assertTrue(lines.getLast().startsWith("lpu synth: done in "), lines.getLast());
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (String name : names(dir)) {
            files.put(name, Files.readAllBytes(dir.resolve(name)));
        }
        return files;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
