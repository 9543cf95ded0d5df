package io.lpu4j.engine.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.engine.InvalidModelException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenized encoder inputs in the golden-data format ({@code inputs_tokenized.json}: an array of
 * objects with {@code text}, {@code ids}, {@code mask}, {@code type_ids}), and the onnxruntime
 * outputs stored beside such a file ({@code ort_last_hidden_state_SxTxH_f32le.bin} for the F32
 * model, {@code ort_q_...} for its dynamic-INT8 variant: raw little-endian float32 [S, T, H]).
 */
public final class GoldenInputs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenInputs() {
    }

    /** Reads the sentences of an {@code inputs_tokenized.json} file. */
    public static List<EncoderInput> read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot read: " + e.getMessage());
        }
        if (root == null || !root.isArray() || root.isEmpty()) {
            throw new InvalidModelException(file + ": expected a non-empty JSON array of tokenized sentences");
        }
        List<EncoderInput> inputs = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode s = root.get(i);
            String where = file + ": sentence " + i;
            try {
                inputs.add(new EncoderInput(s.path("text").asText(""), ints(s, "ids", where), ints(s, "mask", where),
                        ints(s, "type_ids", where)));
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(where + ": " + e.getMessage());
            }
        }
        return inputs;
    }

    /**
     * The onnxruntime outputs beside {@code inputsFile} for these inputs and this hidden size, those
     * that exist: F32 first, then dynamic INT8. Those files hold sentences of one (padded) length;
     * for sentences of different lengths there are none.
     */
    public static List<ExternalOutput> onnxruntimeOutputs(Path inputsFile, List<EncoderInput> inputs, int hidden) {
        int tokens = inputs.getFirst().ids().length;
        if (inputs.stream().anyMatch(input -> input.ids().length != tokens)) {
            return List.of();
        }
        String shape = inputs.size() + "x" + tokens + "x" + hidden;
        List<ExternalOutput> outputs = new ArrayList<>();
        Path dir = inputsFile.toAbsolutePath().getParent();
        for (String[] variant : new String[][] {{"ort_", "f32"}, {"ort_q_", "int8 (dynamic)"}}) {
            Path file = dir.resolve(variant[0] + "last_hidden_state_" + shape + "_f32le.bin");
            if (Files.isRegularFile(file)) {
                outputs.add(new ExternalOutput(variant[1], Runner.ONNXRUNTIME,
                        readHiddenStates(file, inputs.size(), tokens, hidden)));
            }
        }
        return outputs;
    }

    private static float[][][] readHiddenStates(Path file, int sentences, int tokens, int hidden) {
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot read: " + e.getMessage());
        }
        long expected = (long) sentences * tokens * hidden * Float.BYTES;
        if (bytes.remaining() != expected) {
            throw new InvalidModelException(file + ": " + bytes.remaining() + " bytes, expected " + expected);
        }
        FloatBuffer floats = bytes.asFloatBuffer();
        float[][][] out = new float[sentences][tokens][hidden];
        for (float[][] sentence : out) {
            for (float[] row : sentence) {
                floats.get(row);
            }
        }
        return out;
    }

    private static int[] ints(JsonNode sentence, String key, String where) {
        JsonNode array = sentence.path(key);
        if (!array.isArray()) {
            throw new InvalidModelException(where + ": '" + key + "' is not an array of integers");
        }
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            if (!array.get(i).canConvertToInt()) {
                throw new InvalidModelException(where + ": '" + key + "'[" + i + "] is not an integer");
            }
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
