package io.lpu4j.engine.bert;

import io.lpu4j.engine.InvalidModelException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reference forward pass against onnxruntime's output for the same model and inputs. */
class BertModelTest {
    private static BertModel model;
    private static List<MiniLmGolden.Sentence> sentences;
    private static float[][][] ort;

    @BeforeAll
    static void load() {
        model = BertModel.load(MiniLmGolden.modelDir());
        sentences = MiniLmGolden.sentences();
        ort = MiniLmGolden.ortLastHiddenState();
    }

    @Test
    void everyHiddenStateMatchesOnnxRuntime() {
        assertEquals(4, sentences.size());
        double maxValid = 0;
        double maxPadded = 0;
        for (int s = 0; s < sentences.size(); s++) {
            MiniLmGolden.Sentence sentence = sentences.get(s);
            float[][] hidden = model.lastHiddenState(sentence.ids(), sentence.mask(), sentence.typeIds());
            assertEquals(MiniLmGolden.SEQ_LEN, hidden.length);
            for (int t = 0; t < hidden.length; t++) {
                assertEquals(MiniLmGolden.HIDDEN, hidden[t].length);
                for (int i = 0; i < hidden[t].length; i++) {
                    double diff = Math.abs((double) hidden[t][i] - ort[s][t][i]);
                    if (sentence.mask()[t] == 1) {
                        maxValid = Math.max(maxValid, diff);
                    } else {
                        maxPadded = Math.max(maxPadded, diff);
                    }
                }
            }
        }
        System.out.printf("BERT vs onnxruntime: max |diff| %.3g at real tokens, %.3g at padded positions%n",
                maxValid, maxPadded);
        assertTrue(maxValid < 1e-4, "max abs difference at real tokens " + maxValid);
        assertTrue(maxPadded < 1e-4, "max abs difference at padded positions " + maxPadded);
    }

    /** Golden sentence embedding: ORT's hidden states averaged over real tokens, then unit length. */
    private static double[] pooledOrt(int s) {
        int[] mask = sentences.get(s).mask();
        double[] mean = new double[MiniLmGolden.HIDDEN];
        int count = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 1) {
                count++;
                for (int i = 0; i < mean.length; i++) {
                    mean[i] += ort[s][t][i];
                }
            }
        }
        double norm = 0;
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= count;
            norm += mean[i] * mean[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= norm;
        }
        return mean;
    }

    @Test
    void sentenceEmbeddingsAreUnitLengthAndMatchPooledOnnxRuntime() {
        for (int s = 0; s < sentences.size(); s++) {
            MiniLmGolden.Sentence sentence = sentences.get(s);
            float[] embedding = model.embed(sentence.ids(), sentence.mask(), sentence.typeIds());
            double[] expected = pooledOrt(s);
            assertEquals(expected.length, embedding.length);
            double dot = 0;
            double norm = 0;
            for (int i = 0; i < embedding.length; i++) {
                dot += embedding[i] * expected[i];
                norm += (double) embedding[i] * embedding[i];
            }
            double cosine = dot / Math.sqrt(norm);
            System.out.printf("'%s': 1 - cosine with pooled onnxruntime = %.1e%n", sentence.text(), 1 - cosine);
            // Far tighter than 0.999999, which even a tanh-approximate GELU passes (1 - cosine ≈ 9e-7).
            assertTrue(1 - cosine < 1e-9, sentence.text() + ": 1 - cosine = " + (1 - cosine));
            assertEquals(1.0, Math.sqrt(norm), 1e-6, sentence.text() + ": length");
        }
    }

    @Test
    void realTokensDoNotSeeWhatOrHowMuchPaddingThereIs() {
        MiniLmGolden.Sentence sentence = sentences.get(1);
        int real = Arrays.stream(sentence.mask()).sum();
        int padded = real + 20;
        int[] ids = Arrays.copyOf(sentence.ids(), padded);
        int[] mask = Arrays.copyOf(sentence.mask(), padded);
        int[] typeIds = Arrays.copyOf(sentence.typeIds(), padded);
        float[][] withPadding = model.lastHiddenState(ids, mask, typeIds);
        // Other ids and types under the same zero mask.
        for (int t = real; t < padded; t++) {
            ids[t] = 1000 + t;
            typeIds[t] = 1;
        }
        float[][] otherPadding = model.lastHiddenState(ids, mask, typeIds);
        float[][] noPadding = model.lastHiddenState(Arrays.copyOf(ids, real), Arrays.copyOf(mask, real),
                Arrays.copyOf(typeIds, real));
        for (int t = 0; t < real; t++) {
            // Bit-identical: masked keys get exactly zero attention weight.
            assertArrayEquals(withPadding[t], otherPadding[t], "position " + t);
            assertArrayEquals(withPadding[t], noPadding[t], "position " + t);
        }
        assertFalse(Arrays.equals(withPadding[real], otherPadding[real]), "padded rows are computed from their own ids");
    }

    @Test
    void refusesSequencesLongerThanThePositionTable() {
        int[] tooLong = new int[model.config().maxPositions() + 1];
        Arrays.fill(tooLong, 1);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> model.lastHiddenState(tooLong, tooLong, new int[tooLong.length]));
        assertTrue(e.getMessage().contains("513 tokens") && e.getMessage().contains("max_position_embeddings"),
                e.getMessage());
    }

    @Test
    void refusesIdsOutsideTheirTablesAndMasksWithoutAToken() {
        int[] ones = {1, 1, 1};
        int[] zeros = {0, 0, 0};
        assertMessage("token id 30522 at position 1", () -> model.lastHiddenState(new int[]{101, 30522, 102}, ones, zeros));
        assertMessage("token type id 2 at position 0", () -> model.lastHiddenState(ones, ones, new int[]{2, 0, 0}));
        assertMessage("attention mask value -1 at position 2", () -> model.lastHiddenState(ones, new int[]{1, 1, -1}, zeros));
        assertMessage("attention mask has no 1", () -> model.embed(ones, zeros, zeros));
    }

    private static void assertMessage(String expected, Executable call) {
        InvalidModelException e = assertThrows(InvalidModelException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
