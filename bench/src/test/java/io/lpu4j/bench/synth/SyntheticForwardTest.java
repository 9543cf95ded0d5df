package io.lpu4j.bench.synth;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.reference.ReferenceTransformer;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's FP32 reference runs on synthetic weights without blowing up: the logits of every
 * position are finite, spread out, and change with the input. Real presets are shrunk (fewer
 * layers, smaller vocabulary) but keep their head layout, biases, tying and RoPE settings.
 */
class SyntheticForwardTest {
    static final int TOKENS = 6;

    @ParameterizedTest(name = "{0} with {1} layers, vocab {2}")
    @CsvSource({
            "test-tiny,      2,  512",
            "smollm2-135m,   30, 1024",
            "qwen2.5-0.5b,   2,  1024",
            "tinyllama-1.1b, 1,  1024",
            "llama-3.2-1b,   1,  1024",
    })
    void logitsStayFiniteAndInformative(String name, int layers, int vocab, @TempDir Path dir) {
        SynthPreset preset = SynthPreset.find(name).orElseThrow().withLayers(layers).withVocab(vocab);
        SynthWriter.write(new SynthRequest(preset, DType.BF16, 1, SynthRequest.DEFAULT_MAX_FILE_BYTES,
                Runtime.getRuntime().availableProcessors(), SynthWriterTest.NO_TOKENIZER, dir, false), line -> { });
        ModelConfig config = ModelConfig.load(dir);
        assertEquals(layers, config.numLayers());
        int[] tokens = {1, 17, 400, 3, 17, 250};
        float[][] logits = new float[TOKENS][];
        try (Checkpoint checkpoint = Checkpoint.open(dir);
             ReferenceTransformer model = ReferenceTransformer.load(checkpoint, config, 16, MatrixTransform.IDENTITY)) {
            model.forward(tokens, TOKENS, 0, (pos, row) -> logits[pos] = row.clone());
        }
        double minStd = Double.MAX_VALUE;
        double maxStd = 0;
        for (int pos = 0; pos < TOKENS; pos++) {
            double sum = 0;
            double squares = 0;
            for (float v : logits[pos]) {
                assertTrue(Float.isFinite(v), name + ": non-finite logit at position " + pos);
                sum += v;
                squares += (double) v * v;
            }
            double mean = sum / vocab;
            double std = Math.sqrt(squares / vocab - mean * mean);
            // Trained models spread logits by a few units; a collapsed or exploding stream would not.
            assertTrue(std > 0.1 && std < 30, name + ": logit std " + std + " at position " + pos);
            minStd = Math.min(minStd, std);
            maxStd = Math.max(maxStd, std);
        }
        // Token 17 at positions 1 and 4 sees different contexts and positions: the logits must differ.
        double difference = 0;
        for (int i = 0; i < vocab; i++) {
            difference = Math.max(difference, Math.abs(logits[1][i] - logits[4][i]));
        }
        System.out.printf("%s (%d layers, vocab %d): logit std %.3f..%.3f over %d positions; "
                + "same token in two contexts differs by up to %.3f%n", name, layers, vocab, minStd, maxStd, TOKENS,
                difference);
        assertTrue(difference > 1e-3, name + ": attention and RoPE leave no trace, max difference " + difference);
    }
}
