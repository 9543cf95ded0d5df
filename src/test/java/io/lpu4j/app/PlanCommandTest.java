package io.lpu4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.WeightFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lpu plan} end to end, through {@link Main#run}. */
class PlanCommandTest {
    static final Path STORIES = Path.of(System.getProperty("lpu4j.shared"), "models", "stories260K");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run lpu(String... args) {
        CommandLineRun run = CommandLineRun.of(args);
        return new Run(run.exitCode(), run.stdout(), run.stderr());
    }

    /** The plan the command should print, made here straight from the engine. */
    static Plan expectedPlan(long budget, int threads) {
        ModelConfig config = ModelConfig.load(STORIES);
        return Planner.plan(config, PlanSettings.defaults(WeightFormat.FP8_DEFAULT, threads, config.maxPositions())
                .withShardBudget(budget));
    }

    @Test
    void tableHasOneRowPerShardAndTotalsThatAddUp() {
        Run run = lpu("plan", "--model", STORIES.toString(), "--shard-mb", "0.05", "--threads", "2");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        Plan plan = expectedPlan(50_000, 2);

        List<String> lines = run.out().lines().toList();
        assertTrue(lines.getFirst().startsWith("lpu plan: stories260K (llama, 5 layers)"), lines.getFirst());
        assertTrue(lines.getFirst().contains("fp8-channel weights, bf16 embeddings"), lines.getFirst());
        assertTrue(lines.getFirst().contains("2 threads") && lines.getFirst().contains("context 512"), lines.getFirst());

        List<List<String>> rows = tableRows(lines, "shard");
        assertEquals(plan.shards().size(), rows.size());
        long sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            long bytes = Long.parseLong(row.get(1).replace(",", ""));
            assertEquals(i, Integer.parseInt(row.get(0)));
            assertEquals(plan.shards().get(i).bytes(), bytes);
            assertTrue(bytes <= 50_000);
            sum += bytes;
        }
        assertTrue(rows.getFirst().get(3).startsWith("emb"), "the first shard starts with the embedding");
        assertTrue(rows.getFirst().get(4).startsWith("embedding rows 0"), rows.getFirst().get(4));
        assertTrue(rows.getLast().get(3).endsWith("head") && rows.getLast().get(4).endsWith("final_norm"),
                rows.getLast().toString());

        List<List<String>> totals = tableRows(lines, "totals");
        assertEquals(List.of("shards", Integer.toString(plan.shards().size())), totals.get(0));
        assertTrue(totals.get(1).get(1).startsWith(String.format(Locale.ROOT, "%,d B", sum)), totals.get(1).toString());
        assertEquals("steps per forward pass", totals.getLast().get(0));
        assertTrue(totals.getLast().get(1).startsWith((2 + 5 * 5) + " "), totals.getLast().toString());
    }

    @Test
    void jsonParsesBackWithShardsThatSumToTheTotalWithinTheBudget() throws Exception {
        Run run = lpu("plan", "--model", STORIES.toString(), "--format", "json", "--shard-mb", "0.05", "--threads", "3");
        assertEquals(0, run.exit(), run.err());
        JsonNode root = JSON.readTree(run.out());
        Plan plan = expectedPlan(50_000, 3);

        assertEquals(List.of("model", "settings", "config", "shard_count", "weight_bytes", "tensor_bytes",
                "padding_bytes", "arena_bytes", "kv_cache_bytes", "step_count", "shards", "steps", "buffers"),
                fieldNames(root));
        long budget = root.at("/settings/shard_budget_bytes").asLong();
        assertEquals(50_000, budget);
        assertEquals("fp8-channel", root.at("/settings/weights").asText());
        long sum = 0;
        for (JsonNode shard : root.get("shards")) {
            assertTrue(shard.get("bytes").asLong() <= budget, shard.get("index") + " over budget");
            sum += shard.get("bytes").asLong();
            for (JsonNode p : shard.get("placements")) {
                assertEquals(List.of("tensor", "storage", "rows", "cols", "row_from", "row_to", "layer", "offset",
                        "data_bytes", "scales_offset", "scales_bytes"), fieldNames(p));
            }
        }
        assertEquals(root.get("weight_bytes").asLong(), sum);
        assertEquals(plan.weightBytes(), sum);
        assertEquals(plan.shards().size(), root.get("shards").size());
        assertEquals(root.get("tensor_bytes").asLong() + root.get("padding_bytes").asLong(), sum);
        assertEquals(plan.kvCacheBytes(), root.get("kv_cache_bytes").asLong());
        assertEquals(plan.steps().size(), root.get("steps").size());

        JsonNode qkv = root.get("steps").get(1);
        assertEquals(List.of("index", "kind", "ops", "layer", "tensors", "split", "bounds"), fieldNames(qkv));
        assertEquals("QKV", qkv.get("kind").asText());
        assertEquals(4, qkv.get("bounds").size(), "three workers, four bounds");
        assertEquals(8 + 2 * 4, qkv.get("bounds").get(3).asInt(), "8 query heads + 4 key + 4 value heads");
    }

    @Test
    void helpListsEveryJsonField() throws Exception {
        JsonNode root = JSON.readTree(lpu("plan", "--model", STORIES.toString(), "--format", "json").out());
        Set<String> fields = new TreeSet<>();
        collectFieldNames(root, fields);
        String help = lpu("plan", "--help").out();
        List<String> missing = fields.stream().filter(f -> !help.matches("(?s).*\\b" + f + "\\b.*")).toList();
        assertEquals(List.of(), missing, "fields missing from 'lpu plan --help'");
    }

    private static void collectFieldNames(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                into.add(e.getKey());
                collectFieldNames(e.getValue(), into);
            });
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectFieldNames(child, into));
        }
    }

    @Test
    void plotWritesAPngAndAnSvgThatParses() throws Exception {
        Path png = tmp.resolve("shards.png");
        Path svg = tmp.resolve("shards.svg");
        for (Path file : List.of(png, svg)) {
            Run run = lpu("plan", "--model", STORIES.toString(), "--shard-mb", "0.05", "--plot", file.toString());
            assertEquals(0, run.exit(), run.err());
            assertEquals(List.of("lpu: drew 7 shards to " + file), run.errLines());
            assertTrue(Files.size(file) > 1000, file + " is " + Files.size(file) + " bytes");
        }
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(PlanChart.WIDTH, image.getWidth());
        assertEquals(PlanChart.height(7), image.getHeight());

        DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
        // The SVG names the W3C DTD; parse it as a viewer would, without fetching it.
        xml.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = xml.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", doc.getDocumentElement().getTagName());
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("stories260K: 7 shards") && text.contains("shard 6"), "the chart's labels are text");
    }

    @Test
    void plansAModelFarTooBigForThisMachineFromItsConfigAlone() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("Llama-3-8B")).resolve("config.json");
        Files.writeString(config, """
                {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
                 "num_attention_heads": 32, "num_key_value_heads": 8, "vocab_size": 128256,
                 "max_position_embeddings": 8192, "rope_theta": 500000.0, "tie_word_embeddings": false}
                """);
        Run run = lpu("plan", "--config", config.toString(), "--threads", "8");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("lpu plan: Llama-3-8B (llama, 32 layers)"), run.out());
        assertEquals(List.of("shards", "40"), tableRows(run.out().lines().toList(), "totals").getFirst());
        assertTrue(run.out().contains("| KV cache               | 536,870,912 B"), "2 × 32 layers × 8 heads × 4096 "
                + "positions × 128 × 2 bytes");
    }

    @Test
    void unknownWeightFormatIsOneLineListingTheChoices() {
        Run run = lpu("plan", "--model", STORIES.toString(), "--weights", "fp4");
        assertUserError(run, "lpu: --weights fp4: unknown weight format (expected one of " + WeightFormat.choices() + ")");
    }

    @Test
    void zeroOrTooSmallShardBudgetIsRefusedNamingTheFlag() {
        assertUserError(lpu("plan", "--model", STORIES.toString(), "--shard-mb", "0"),
                "lpu: --shard-mb 0: the shard budget must be more than 0 MB");
        assertUserError(lpu("plan", "--model", STORIES.toString(), "--shard-mb", "0.005", "--weights", "fp8-block"),
                "lpu: --shard-mb 0.005: a shard budget of 5000 bytes cannot hold 128 rows (one scale block) of "
                        + "model.layers.0.mlp.gate_proj.weight (FP8_BLOCK, 64 columns), which needs 8256 bytes");
    }

    @Test
    void missingModelDirectoryIsNamed() {
        Path missing = tmp.resolve("no-such-model");
        assertUserError(lpu("plan", "--model", missing.toString()), "lpu: " + missing + ": no such model directory");
    }

    @Test
    void unsupportedModelTypeNamesTheFileAndKey() throws Exception {
        Path config = tmp.resolve("config.json");
        Files.writeString(config, """
                {"model_type": "gpt2", "n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257}
                """);
        Run run = lpu("plan", "--config", config.toString());
        assertUserError(run, "lpu: " + config + ": 'model_type' = 'gpt2' is not supported by the decoder "
                + "(expected one of llama, mistral, qwen2)");
    }

    @Test
    void contextLongerThanTheModelsIsRefused() {
        assertUserError(lpu("plan", "--model", STORIES.toString(), "--context", "1000"),
                "lpu: --context 1000: expected 1 to 512, the model's longest context");
    }

    static void assertUserError(Run run, String line) {
        assertEquals(2, run.exit(), run.err());
        assertEquals(List.of(line), run.errLines());
        assertEquals("", run.out());
    }

    /** The cells of the pipe table whose first header is {@code firstHeader}, without header and rule. */
    static List<List<String>> tableRows(List<String> lines, String firstHeader) {
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\|\\s*" + firstHeader + "\\s*\\|.*")) {
                header = i;
                break;
            }
        }
        assertTrue(header >= 0, "no table headed " + firstHeader);
        List<List<String>> rows = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            rows.add(List.of(line.substring(1, line.length() - 1).split("\\|")).stream().map(String::strip).toList());
        }
        return rows;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
