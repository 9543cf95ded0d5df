package io.lpu4j.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The real stories260K checkpoint (F32) and its BF16 twin, read in place from the shared data. */
class Stories260KCheckpointTest {

    @Test
    void readsEveryTensorOfTheF32Checkpoint() throws IOException {
        Path dir = TestTensors.stories260K();
        JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        int layers = config.get("num_hidden_layers").asInt();
        int hidden = config.get("hidden_size").asInt();
        int intermediate = config.get("intermediate_size").asInt();
        try (Checkpoint c = Checkpoint.open(dir)) {
            // Per layer: 2 norms, q, k, v, o, gate, up, down; plus embeddings and the final norm. Tied
            // embeddings, so no lm_head: 2 + 9 × 5 = 47.
            assertEquals(2 + 9 * layers, c.tensors().size());
            assertEquals(47, c.tensors().size());
            TensorView embed = c.tensor("model.embed_tokens.weight");
            assertEquals(DType.F32, embed.dtype());
            assertArrayEquals(new long[] {config.get("vocab_size").asInt(), hidden}, embed.shape());
            assertArrayEquals(new long[] {intermediate, hidden}, c.tensor("model.layers.0.mlp.up_proj.weight").shape());
            assertArrayEquals(new long[] {hidden, intermediate}, c.tensor("model.layers.4.mlp.down_proj.weight").shape());
            long bytes = 0;
            for (TensorView t : c.tensors().values()) {
                assertEquals(DType.F32, t.dtype(), t.name());
                bytes += t.data().byteSize();
            }
            // Exactly the data region: the file minus the 8-byte length and the header.
            long fileSize = Files.size(dir.resolve(Checkpoint.SINGLE_FILE));
            assertEquals(fileSize - 8 - headerLength(dir.resolve(Checkpoint.SINGLE_FILE)), bytes);
            assertEquals(260_032L * 4, bytes, "260,032 parameters");
        }
    }

    private static long headerLength(Path file) throws IOException {
        byte[] prefix = new byte[8];
        try (var in = Files.newInputStream(file)) {
            assertEquals(8, in.readNBytes(prefix, 0, 8));
        }
        return java.nio.ByteBuffer.wrap(prefix).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void bf16TwinHoldsTheRoundedF32Values() {
        try (Checkpoint f32 = Checkpoint.open(TestTensors.stories260K());
             Checkpoint bf16 = Checkpoint.open(TestTensors.shared().resolve("models/stories260K-bf16"))) {
            assertEquals(f32.tensors().keySet(), bf16.tensors().keySet());
            for (TensorView original : f32.tensors().values()) {
                TensorView rounded = bf16.tensor(original.name());
                assertEquals(DType.BF16, rounded.dtype(), original.name());
                assertArrayEquals(original.shape(), rounded.shape(), original.name());
                float[] x = original.toFloatArray();
                float[] y = rounded.toFloatArray();
                for (int i = 0; i < x.length; i++) {
                    float expected = Bf16.toFloat(Bf16.fromFloat(x[i]));
                    if (Float.floatToRawIntBits(expected) != Float.floatToRawIntBits(y[i])) {
                        assertEquals(expected, y[i], original.name() + "[" + i + "] = " + x[i]);
                    }
                }
            }
        }
    }
}
