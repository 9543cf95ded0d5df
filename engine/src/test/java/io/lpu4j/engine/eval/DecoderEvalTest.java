package io.lpu4j.engine.eval;

import io.lpu4j.engine.SharedData;
import io.lpu4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The decoder report on stories260K and the shared evaluation text, against an independent numpy
 * estimate (amax / 448 scales, E4M3 round to nearest even, every linear layer, F32 elsewhere): FP8
 * per channel KL mean ≈ 0.0075 nats/token and top-1 agreement ≈ 0.95; INT8 per channel KL ≈ 0.0004.
 * lpu4j must land within 20 % of those.
 */
class DecoderEvalTest {
    static final Path MODEL = SharedData.model("stories260K");
    static DecoderReport report;

    @BeforeAll
    static void evaluate() throws IOException {
        String text = Files.readString(SharedData.root().resolve("text/stories_eval.txt"));
        int[] tokens = Tokenizer.fromModelDir(MODEL).encode(text);
        report = DecoderEval.run(MODEL, tokens, List.of(EvalFormat.values()),
                new DecoderEval.Settings(512, 128, false, false, 2), System.out::println);
        for (DecoderRow r : report.rows()) {
            System.out.printf("%-16s KL mean %.6f p99 %.6f top-1 %.4f perplexity %.4f%n", r.format(), r.klMean(),
                    r.klP99(), r.top1Agreement(), r.perplexity());
        }
    }

    static DecoderRow row(EvalFormat format) {
        return report.rows().stream().filter(r -> r.format().equals(format.flag())).findFirst().orElseThrow();
    }

    @Test
    void theTextIsScoredWholeInConsecutiveWindows() {
        assertEquals(report.tokens() - 1, report.predictions());
        assertTrue(report.tokens() > 1024, "stories_eval.txt is longer than two 512-token windows");
        assertEquals(Math.ceilDiv(report.predictions(), 512), report.windows());
        assertEquals(EvalFormat.values().length, report.rows().size());
    }

    @Test
    void f32AgainstItselfIsExact() {
        DecoderRow f32 = row(EvalFormat.F32);
        assertEquals(0.0, f32.klMean());
        assertEquals(0.0, f32.klP99());
        assertEquals(1.0, f32.top1Agreement());
        assertNull(f32.sqnr());
    }

    @Test
    void fp8PerChannelMatchesTheNumpyEstimate() {
        DecoderRow fp8 = row(EvalFormat.FP8_CHANNEL);
        assertTrue(fp8.klMean() >= 0.006 && fp8.klMean() <= 0.009, "KL mean " + fp8.klMean());
        assertTrue(fp8.top1Agreement() >= 0.9, "top-1 " + fp8.top1Agreement());
        // 35 linear tensors (7 per layer × 5), each near FP8's ~31 dB.
        assertEquals(35, fp8.sqnr().tensors().size());
        assertTrue(fp8.sqnr().minDb() > 28 && fp8.sqnr().meanDb() < 35, fp8.sqnr().toString());
    }

    @Test
    void int8PerChannelBeatsFp8() {
        DecoderRow int8 = row(EvalFormat.INT8);
        assertTrue(int8.klMean() < row(EvalFormat.FP8_CHANNEL).klMean());
        assertTrue(int8.klMean() >= 0.0004 * 0.8 && int8.klMean() <= 0.0004 * 1.2, "KL mean " + int8.klMean());
    }

    @Test
    void bf16IsCloserThanAnyEightBitFormat() {
        double bf16 = row(EvalFormat.BF16).klMean();
        for (EvalFormat f : List.of(EvalFormat.FP8_TENSOR, EvalFormat.FP8_CHANNEL, EvalFormat.FP8_BLOCK, EvalFormat.INT8)) {
            assertTrue(bf16 < row(f).klMean(), f.toString());
        }
    }
}
