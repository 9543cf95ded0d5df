package io.lpu4j.engine.eval;

import io.lpu4j.engine.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder report on all-MiniLM-L6-v2 and the four golden sentences, against an independent
 * numpy estimate (amax / 448 scales, E4M3 round to nearest even, every linear layer, F32
 * elsewhere): FP8 per channel embedding cosine 0.99824 (1 − cosine 1.76e-3), INT8 per channel
 * 0.99949; onnxruntime's own INT8 model 0.9866.
 */
class EncoderEvalTest {
    static final Path MODEL = SharedData.model("all-MiniLM-L6-v2");
    static final Path INPUTS = SharedData.golden("all-MiniLM-L6-v2", "inputs_tokenized.json");
    static EncoderReport report;

    @BeforeAll
    static void evaluate() {
        List<EncoderInput> inputs = GoldenInputs.read(INPUTS);
        report = EncoderEval.run(MODEL, inputs,
                List.of(EvalFormat.F32, EvalFormat.FP8_CHANNEL, EvalFormat.INT8), 128,
                GoldenInputs.onnxruntimeOutputs(INPUTS, inputs, 384), System.out::println);
        for (EncoderRow r : report.rows()) {
            System.out.printf("%-10s %-16s cosine mean %.6f min %.6f max |dh| %.4f%n", r.runner(), r.format(),
                    r.cosineMean(), r.cosineMin(), r.maxAbsDiff());
        }
    }

    static EncoderRow row(Runner runner, String format) {
        return report.rows().stream().filter(r -> r.runner() == runner && r.format().equals(format))
                .findFirst().orElseThrow();
    }

    @Test
    void f32AgainstItselfIsExact() {
        EncoderRow f32 = row(Runner.REFERENCE, "f32");
        assertEquals(1.0, f32.cosineMean());
        assertEquals(1.0, f32.cosineMin());
        assertEquals(0.0, f32.maxAbsDiff());
        assertNull(f32.sqnr());
    }

    /** Band: the numpy estimate's 1 − cosine = 1.76e-3, ± 20 %. */
    @Test
    void fp8PerChannelMatchesTheNumpyEstimate() {
        EncoderRow fp8 = row(Runner.REFERENCE, "fp8-channel");
        double error = 1 - fp8.cosineMean();
        assertTrue(error >= 1.76e-3 * 0.8 && error <= 1.76e-3 * 1.2, "1 - cosine " + error);
        assertEquals(36, fp8.sqnr().tensors().size(), "6 linear layers × 6 encoder layers");
    }

    @Test
    void int8PerChannelBeatsFp8() {
        assertTrue(row(Runner.REFERENCE, "int8").cosineMean() > row(Runner.REFERENCE, "fp8-channel").cosineMean());
    }

    @Test
    void onnxruntimeRowsScoreTheGoldenOutputs() {
        // onnxruntime's F32 model agrees with lpu4j's F32 to about 2e-6 (the shared README).
        EncoderRow ortF32 = row(Runner.ONNXRUNTIME, "f32");
        assertTrue(ortF32.maxAbsDiff() < 1e-4, "max diff " + ortF32.maxAbsDiff());
        assertTrue(1 - ortF32.cosineMin() < 1e-9);
        EncoderRow ortInt8 = row(Runner.ONNXRUNTIME, "int8 (dynamic)");
        assertTrue(ortInt8.cosineMean() > 0.98 && ortInt8.cosineMean() < 0.995, "cosine " + ortInt8.cosineMean());
        assertTrue(ortInt8.cosineMean() < row(Runner.REFERENCE, "fp8-channel").cosineMean());
    }
}
