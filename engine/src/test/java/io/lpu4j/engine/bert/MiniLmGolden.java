package io.lpu4j.engine.bert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared all-MiniLM-L6-v2 model and its onnxruntime golden data (see the shared README): four
 * tokenized sentences padded to 128 and ORT's last hidden state for them.
 */
final class MiniLmGolden {
    static final int SEQ_LEN = 128;
    static final int HIDDEN = 384;

    /** One tokenized sentence of {@code inputs_tokenized.json}. */
    record Sentence(String text, int[] ids, int[] mask, int[] typeIds) {
    }

    private MiniLmGolden() {
    }

    static Path shared() {
        String dir = System.getProperty("lpu4j.shared");
        if (dir == null) {
            throw new IllegalStateException("system property lpu4j.shared is not set (run the tests through Maven)");
        }
        return Path.of(dir);
    }

    static Path modelDir() {
        return shared().resolve("models/all-MiniLM-L6-v2");
    }

    private static Path goldenDir() {
        return shared().resolve("golden/all-MiniLM-L6-v2");
    }

    static List<Sentence> sentences() {
        try {
            JsonNode root = new ObjectMapper().readTree(goldenDir().resolve("inputs_tokenized.json").toFile());
            List<Sentence> sentences = new ArrayList<>();
            for (JsonNode s : root) {
                sentences.add(new Sentence(s.get("text").asText(), ints(s.get("ids")), ints(s.get("mask")),
                        ints(s.get("type_ids"))));
            }
            return sentences;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** onnxruntime's last hidden state (F32 ONNX model): [sentence][position][feature]. */
    static float[][][] ortLastHiddenState() {
        return readHiddenStates("ort_last_hidden_state_4x128x384_f32le.bin");
    }

    private static float[][][] readHiddenStates(String file) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(goldenDir().resolve(file))).order(ByteOrder.LITTLE_ENDIAN);
            int count = bytes.remaining() / Float.BYTES / (SEQ_LEN * HIDDEN);
            float[][][] out = new float[count][SEQ_LEN][HIDDEN];
            for (float[][] sentence : out) {
                for (float[] row : sentence) {
                    bytes.asFloatBuffer().get(row);
                    bytes.position(bytes.position() + HIDDEN * Float.BYTES);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
