package io.lpu4j.engine.reference;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.SharedData;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.SafetensorsWriter;
import io.lpu4j.weights.TensorView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** stories260K split into two files with an index gives the same logits as the single file. */
class ShardedCheckpointTest {

    @Test
    void indexAndTwoFilesGiveIdenticalLogits(@TempDir Path dir) throws IOException {
        Path original = SharedData.model("stories260K");
        Map<String, String> weightMap = new LinkedHashMap<>();
        try (Checkpoint checkpoint = Checkpoint.open(original)) {
            List<SafetensorsWriter.Entry> first = new ArrayList<>();
            List<SafetensorsWriter.Entry> second = new ArrayList<>();
            int i = 0;
            for (TensorView t : checkpoint.tensors().values()) {
                boolean early = i++ < checkpoint.tensors().size() / 2;
                (early ? first : second).add(SafetensorsWriter.Entry.copyOf(t.name(), t));
                weightMap.put(t.name(), early ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors");
            }
            SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first, Map.of("format", "pt"));
            SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, Map.of("format", "pt"));
        }
        StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
        weightMap.forEach((name, file) -> index.append('"').append(name).append("\": \"").append(file).append("\","));
        index.setLength(index.length() - 1);
        index.append("}}");
        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), index);
        Files.copy(original.resolve("config.json"), dir.resolve("config.json"));

        float[][] single = logits(original);
        float[][] sharded = logits(dir);
        assertEquals(single.length, sharded.length);
        for (int p = 0; p < single.length; p++) {
            assertArrayEquals(single[p], sharded[p], 0f, "position " + p);
        }
    }

    private static float[][] logits(Path model) {
        int[] tokens = SharedData.goldenTokens("runc_greedy_once_upon_a_time_120.txt", "ALL_TOKENS");
        ModelConfig config = ModelConfig.load(model);
        float[][] rows = new float[40][];
        try (Checkpoint checkpoint = Checkpoint.open(model);
             ReferenceTransformer reference = ReferenceTransformer.load(checkpoint, config, 64, MatrixTransform.IDENTITY)) {
            reference.forward(tokens, rows.length, 0, (pos, l) -> rows[pos] = l.clone());
        }
        return rows;
    }
}
