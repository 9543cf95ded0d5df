package io.lpu4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lpu eval} on the real stories260K with the shared evaluation text, and on MiniLM. */
class EvalCommandTest {
    static final String STORIES = CommandLineRun.shared("models/stories260K").toString();
    static final String TEXT = CommandLineRun.shared("text/stories_eval.txt").toString();
    static final String MINILM = CommandLineRun.shared("models/all-MiniLM-L6-v2").toString();
    static final String GOLDEN = CommandLineRun.shared("golden/all-MiniLM-L6-v2/inputs_tokenized.json").toString();
    static final List<String> ALL_FORMATS =
            List.of("f32", "bf16", "fp8-tensor", "fp8-channel", "fp8-channel-mse", "fp8-block", "int8");
    static final ObjectMapper JSON = new ObjectMapper();

    /** The cells of the Markdown table row whose first cell is {@code label}. */
    static List<String> tableRow(String markdown, String label) {
        return markdown.lines().filter(l -> l.startsWith("| " + label + " |")).findFirst()
                .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|")).map(String::trim).toList())
                .orElseThrow(() -> new AssertionError("no row " + label + " in\n" + markdown));
    }

    @Test
    void markdownTableHasEveryFormatAndF32ShowsNoDivergence() {
        CommandLineRun run = CommandLineRun.of("eval", "--model", STORIES, "--text", TEXT);
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(run.stdout().contains("Method: Weight-only quantization"), run.stdout());
        assertTrue(run.stdout().contains("3 consecutive windows of up to 512 tokens"), run.stdout());
        List<String> header = tableRow(run.stdout(), "format");
        for (String format : ALL_FORMATS) {
            assertEquals(header.size(), tableRow(run.stdout(), format).size(), format);
        }
        List<String> f32 = tableRow(run.stdout(), "f32");
        int kl = header.indexOf("KL mean (nats/token)");
        assertEquals(0.0, Double.parseDouble(f32.get(kl)));
        assertEquals(1.0, Double.parseDouble(f32.get(header.indexOf("top-1 agreement"))));
        double fp8 = Double.parseDouble(tableRow(run.stdout(), "fp8-channel").get(kl));
        assertTrue(fp8 > 0.006 && fp8 < 0.009, "fp8-channel KL " + fp8);
        assertTrue(run.stderr().contains("lpu eval:"), "progress on stderr");
    }

    @Test
    void jsonIsOneObjectWithMethodRowsAndPerTensorSqnr() throws IOException {
        CommandLineRun run = CommandLineRun.of("eval", "--model", STORIES, "--text", TEXT,
                "--formats", "fp8-channel,int8", "--format", "json");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode report = JSON.readTree(run.stdout());
        assertTrue(report.get("method").asText().contains("Weight-only"));
        assertEquals("stories260K", report.get("model").asText());
        assertEquals(1158, report.get("input").get("tokens").asInt(), "BOS + the text's tokens");
        JsonNode rows = report.get("rows");
        assertEquals(List.of("f32", "fp8-channel", "int8"), formats(rows));
        assertEquals(0.0, rows.get(0).get("kl_mean").asDouble());
        assertTrue(rows.get(0).get("sqnr_mean_db").isNull());
        JsonNode fp8 = rows.get(1);
        assertEquals(35, fp8.get("sqnr_db_per_tensor").size());
        assertTrue(rows.get(2).get("kl_mean").asDouble() < fp8.get("kl_mean").asDouble(), "int8 beats fp8");
    }

    @Test
    void csvHasAHeaderAndOneLinePerFormat() {
        CommandLineRun run = CommandLineRun.of("eval", "--model", STORIES, "--text", TEXT, "--format", "csv");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> lines = run.stdout().lines().toList();
        assertEquals("format,runner,sqnr_mean_db,sqnr_min_db,kl_mean,kl_p99,top1_agreement,perplexity", lines.getFirst());
        assertEquals(ALL_FORMATS, lines.stream().skip(1).map(l -> l.split(",")[0]).toList());
        assertEquals("f32,reference,,,0.0,0.0,1.0", lines.get(1).substring(0, lines.get(1).lastIndexOf(',')));
    }

    @Test
    void executorRowsAreLabelledAndCloseToTheReference() {
        CommandLineRun run = CommandLineRun.of("eval", "--model", STORIES, "--text", TEXT, "--formats", "fp8-channel",
                "--executor", "--threads", "1", "--format", "csv");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String[]> rows = run.stdout().lines().skip(1).map(l -> l.split(",", -1)).toList();
        assertEquals(List.of("reference", "reference", "executor"), rows.stream().map(r -> r[1]).toList());
        double reference = Double.parseDouble(rows.get(1)[4]);
        double executor = Double.parseDouble(rows.get(2)[4]);
        // FP16 activations add little to what FP8 weights cost.
        assertTrue(Math.abs(executor - reference) < 0.1 * reference, reference + " vs " + executor);
        CommandLineRun md = CommandLineRun.of("eval", "--model", STORIES, "--text", TEXT, "--formats", "int8",
                "--executor", "--threads", "1", "--context", "128");
        assertEquals(0, md.exitCode(), md.stderr());
        assertEquals(7, tableRow(md.stdout(), "int8 (executor, fp16 act.)").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"report.png", "report.svg"})
    void plotWritesTheChart(String name, @TempDir Path dir) throws IOException {
        Path file = dir.resolve(name);
        CommandLineRun run = CommandLineRun.of("eval", "--model", STORIES, "--text", TEXT, "--formats", "fp8-channel,int8",
                "--plot", file.toString());
        assertEquals(0, run.exitCode(), run.stderr());
        assertTrue(Files.size(file) > 5000, "size " + Files.size(file));
        if (name.endsWith(".png")) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertTrue(image.getWidth() >= 1000 && image.getHeight() >= 200);
        } else {
            String svg = Files.readString(file);
            assertTrue(svg.contains("<svg xmlns='http://www.w3.org/2000/svg'"), svg.substring(0, 200));
            assertTrue(svg.contains("stories260K") && svg.contains("fp8-channel"), "title and format labels");
        }
    }

    @Test
    void encoderReportHasOnnxruntimeRowsBesideLpu4j() {
        CommandLineRun run = CommandLineRun.of("eval", "--model", MINILM, "--golden-inputs", GOLDEN,
                "--formats", "fp8-channel", "--format", "csv");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String[]> rows = run.stdout().lines().skip(1).map(l -> l.split(",", -1)).toList();
        assertEquals(List.of("f32", "fp8-channel", "f32", "int8 (dynamic)"), rows.stream().map(r -> r[0]).toList());
        assertEquals(List.of("reference", "reference", "onnxruntime", "onnxruntime"), rows.stream().map(r -> r[1]).toList());
        assertEquals("1.0", rows.get(0)[4], "f32 cosine with itself");
        double fp8 = Double.parseDouble(rows.get(1)[4]);
        double ortInt8 = Double.parseDouble(rows.get(3)[4]);
        assertTrue(fp8 > 0.9975 && fp8 < 0.9990, "fp8-channel cosine " + fp8);
        assertTrue(ortInt8 < fp8, "onnxruntime's int8 model " + ortInt8);
    }

    @Test
    void encoderSentencesComeFromAFileTokenizedAsTheModelSays(@TempDir Path dir) throws IOException {
        Path sentences = dir.resolve("sentences.txt");
        Files.writeString(sentences, "Hello world\n\nThe quick brown fox jumps over the lazy dog.\n");
        CommandLineRun run = CommandLineRun.of("eval", "--model", MINILM, "--sentences", sentences.toString(),
                "--formats", "bf16", "--format", "json");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode report = JSON.readTree(run.stdout());
        assertEquals(2, report.get("input").get("sentences").size());
        assertEquals(List.of("f32", "bf16"), formats(report.get("rows")));
        assertTrue(report.get("rows").get(1).get("cosine_mean").asDouble() > 0.9999);
    }

    static List<String> formats(JsonNode rows) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("format").asText()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--formats=fp9", "--format=xml", "--plot=chart.gif", "--block-size=100", "--sentences=x.txt",
            "--text=/no/such/file.txt", "--context=100000", "--threads=0", "--no-such-flag"})
    void mistakesOnADecoderAreOneLineExitTwo(String flag) {
        List<String> args = new ArrayList<>(List.of("eval", "--model", STORIES));
        if (!flag.startsWith("--text")) {
            args.addAll(List.of("--text", TEXT));
        }
        args.add(flag);
        assertOneLineError(CommandLineRun.of(args.toArray(String[]::new)));
    }

    @Test
    void aDecoderWithoutTextIsToldToGiveOne() {
        CommandLineRun run = CommandLineRun.of("eval", "--model", STORIES);
        assertOneLineError(run);
        assertTrue(run.stderr().contains("--text"), run.stderr());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--text", "--executor", "none"})
    void mistakesOnAnEncoderAreOneLineExitTwo(String flag) {
        List<String> args = new ArrayList<>(List.of("eval", "--model", MINILM));
        switch (flag) {
            case "--text" -> args.addAll(List.of("--golden-inputs", GOLDEN, "--text", TEXT));
            case "--executor" -> args.addAll(List.of("--golden-inputs", GOLDEN, "--executor"));
            default -> { } // neither --sentences nor --golden-inputs
        }
        assertOneLineError(CommandLineRun.of(args.toArray(String[]::new)));
    }

    static void assertOneLineError(CommandLineRun run) {
        assertEquals(2, run.exitCode(), run.stdout() + run.stderr());
        List<String> lines = run.stderr().lines().filter(l -> !l.startsWith("WARNING")).toList();
        assertEquals(1, lines.size(), run.stderr());
        assertTrue(lines.getFirst().startsWith("lpu: "), run.stderr());
        assertFalse(run.stdout().contains("|"), "no report on a mistake");
    }
}
