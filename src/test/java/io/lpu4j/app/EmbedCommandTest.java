package io.lpu4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lpu embed} on all-MiniLM-L6-v2 against onnxruntime: the golden last hidden states, mean
 * pooled over the real tokens and L2-normalized here, as sentence-transformers does.
 */
class EmbedCommandTest {
    static final String MINILM = CommandLineRun.shared("models/all-MiniLM-L6-v2").toString();
    static final ObjectMapper JSON = new ObjectMapper();
    static final int TOKENS = 128;
    static final int HIDDEN = 384;
    static List<String> texts = new ArrayList<>();
    static List<double[]> expected = new ArrayList<>();

    @BeforeAll
    static void goldenEmbeddings() throws IOException {
        JsonNode inputs = JSON.readTree(CommandLineRun.shared("golden/all-MiniLM-L6-v2/inputs_tokenized.json").toFile());
        ByteBuffer ort = ByteBuffer.wrap(Files.readAllBytes(CommandLineRun.shared(
                "golden/all-MiniLM-L6-v2/ort_last_hidden_state_4x128x384_f32le.bin"))).order(ByteOrder.LITTLE_ENDIAN);
        for (int s = 0; s < inputs.size(); s++) {
            texts.add(inputs.get(s).get("text").asText());
            JsonNode mask = inputs.get(s).get("mask");
            double[] mean = new double[HIDDEN];
            int real = 0;
            for (int t = 0; t < TOKENS; t++) {
                if (mask.get(t).asInt() == 1) {
                    real++;
                    for (int i = 0; i < HIDDEN; i++) {
                        mean[i] += ort.getFloat(((s * TOKENS + t) * HIDDEN + i) * Float.BYTES);
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < HIDDEN; i++) {
                mean[i] /= real;
                norm += mean[i] * mean[i];
            }
            for (int i = 0; i < HIDDEN; i++) {
                mean[i] /= Math.sqrt(norm);
            }
            expected.add(mean);
        }
    }

    static double cosine(double[] golden, JsonNode embedding) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < golden.length; i++) {
            double v = embedding.get(i).asDouble();
            dot += golden[i] * v;
            norm += v * v;
        }
        return dot / Math.sqrt(norm); // golden is unit length
    }

    static List<JsonNode> embeddings(CommandLineRun run) throws IOException {
        assertEquals(0, run.exitCode(), run.stderr());
        List<JsonNode> out = new ArrayList<>();
        for (String line : run.stdout().lines().toList()) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void theGoldenSentencesEmbedAsOnnxruntimeDoes() throws IOException {
        List<JsonNode> embeddings = embeddings(CommandLineRun.withStdin(String.join("\n", texts) + "\n",
                "embed", "--model", MINILM));
        assertEquals(texts.size(), embeddings.size());
        for (int s = 0; s < texts.size(); s++) {
            assertEquals(HIDDEN, embeddings.get(s).size());
            double cosine = cosine(expected.get(s), embeddings.get(s));
            assertTrue(cosine > 0.99999, texts.get(s) + ": cosine " + cosine);
        }
    }

    @Test
    void jsonlLinesAreJsonStrings() throws IOException {
        StringBuilder stdin = new StringBuilder();
        for (String text : texts) {
            stdin.append(JSON.writeValueAsString(text)).append('\n');
        }
        List<JsonNode> embeddings = embeddings(CommandLineRun.withStdin(stdin.toString(), "embed", "--model", MINILM,
                "--jsonl"));
        assertEquals(texts.size(), embeddings.size());
        assertTrue(cosine(expected.get(3), embeddings.get(3)) > 0.99999, "the non-ASCII sentence");
    }

    @Test
    void otherWeightsAreAnnouncedAndCostALittleAccuracy() throws IOException {
        CommandLineRun run = CommandLineRun.withStdin(texts.get(1) + "\n", "embed", "--model", MINILM, "--weights", "fp8");
        double cosine = cosine(expected.get(1), embeddings(run).getFirst());
        assertTrue(run.stderr().contains("fp8-channel"), run.stderr());
        assertTrue(cosine > 0.99 && cosine < 0.99999, "cosine " + cosine);
    }

    @Test
    void aDecoderIsRefusedInOneLine() {
        CommandLineRun run = CommandLineRun.withStdin("hello\n", "embed", "--model",
                CommandLineRun.shared("models/stories260K").toString());
        EvalCommandTest.assertOneLineError(run);
        assertTrue(run.stderr().contains("BERT"), run.stderr());
    }

    @Test
    void badInputIsOneLineExitTwo() {
        EvalCommandTest.assertOneLineError(CommandLineRun.withStdin("not json\n", "embed", "--model", MINILM, "--jsonl"));
        EvalCommandTest.assertOneLineError(CommandLineRun.withStdin("x\n", "embed", "--model", MINILM, "--weights", "fp4"));
    }
}
