package io.lpu4j.engine.bert;

import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;
import io.lpu4j.weights.SafetensorsWriter;
import io.lpu4j.weights.TensorView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BertModelLoadTest {
    private static final String REMOVED = "encoder.layer.3.attention.self.key.bias";
    private static final String RESHAPED = "encoder.layer.2.intermediate.dense.bias";

    @TempDir
    Path dir;

    @Test
    void transformSeesExactlyTheSixLinearWeightsOfEveryLayer() {
        List<String> seen = new ArrayList<>();
        BertModel.load(MiniLmGolden.modelDir(), (name, values, rows, cols) -> {
            seen.add(name + " " + rows + "x" + cols + " " + values.length);
            return values;
        });
        List<String> expected = new ArrayList<>();
        for (int l = 0; l < 6; l++) {
            String p = "encoder.layer." + l + ".";
            expected.add(p + "attention.self.query.weight 384x384 147456");
            expected.add(p + "attention.self.key.weight 384x384 147456");
            expected.add(p + "attention.self.value.weight 384x384 147456");
            expected.add(p + "attention.output.dense.weight 384x384 147456");
            expected.add(p + "intermediate.dense.weight 1536x384 589824");
            expected.add(p + "output.dense.weight 384x1536 589824");
        }
        assertEquals(expected, seen);
    }

    @Test
    void theTransformedWeightsAreTheOnesUsed() {
        int[] ids = {101, 7592, 2088, 102};
        int[] mask = {1, 1, 1, 1};
        int[] types = new int[4];
        float[] plain = BertModel.load(MiniLmGolden.modelDir()).embed(ids, mask, types);
        float[] zeroedValues = BertModel.load(MiniLmGolden.modelDir(), (name, values, rows, cols) ->
                name.endsWith("value.weight") ? new float[values.length] : values).embed(ids, mask, types);
        assertFalse(Arrays.equals(plain, zeroedValues));
    }

    @Test
    void namesAMissingTensor() throws IOException {
        writeMiniLmWith(Map.of(REMOVED, false));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> BertModel.load(dir));
        assertEquals(dir + ": tensor '" + REMOVED + "' is missing (expected shape [384])", e.getMessage());
    }

    @Test
    void namesAMisShapedTensor() throws IOException {
        writeMiniLmWith(Map.of(RESHAPED, true));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> BertModel.load(dir));
        assertTrue(e.getMessage().endsWith("tensor '" + RESHAPED + "' has shape [1535], expected [1536]"),
                e.getMessage());
    }

    /**
     * Copies MiniLM's config and weights into the temporary directory, dropping each tensor mapped
     * to false and cutting each one mapped to true one element short.
     */
    private void writeMiniLmWith(Map<String, Boolean> changes) throws IOException {
        Files.copy(MiniLmGolden.modelDir().resolve("config.json"), dir.resolve("config.json"));
        try (Checkpoint original = Checkpoint.open(MiniLmGolden.modelDir())) {
            List<SafetensorsWriter.Entry> entries = new ArrayList<>();
            for (TensorView tensor : original.tensors().values()) {
                Boolean cut = changes.get(tensor.name());
                if (cut == null) {
                    entries.add(SafetensorsWriter.Entry.copyOf(tensor.name(), tensor));
                } else if (cut) {
                    float[] values = tensor.toFloatArray();
                    entries.add(SafetensorsWriter.Entry.ofFloats(tensor.name(), DType.F32,
                            new long[]{values.length - 1}, Arrays.copyOf(values, values.length - 1)));
                }
            }
            SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), entries, Map.of());
        }
    }
}
