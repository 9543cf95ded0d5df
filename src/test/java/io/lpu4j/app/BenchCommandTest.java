package io.lpu4j.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.engine.plan.StepPlan.StepKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lpu bench} end to end on stories260K, through {@link Main#run}: the report's structure and
 * its internal consistency, never its speed (speed is for benchmarks, not tests).
 */
class BenchCommandTest {
    static final String STORIES = CommandLineRun.shared("models/stories260K").toString();

    @Test
    void jsonReportHasEveryFigureAndAStepProfileThatAddsUp() throws Exception {
        CommandLineRun run = CommandLineRun.of("bench", "--model", STORIES, "--weights", "fp8", "--threads", "2",
                "--prompt-tokens", "8", "--gen-tokens", "8", "--repeat", "1", "--bandwidth-mb", "16", "--steps",
                "--no-cache", "--format", "json");
        assertEquals(0, run.exitCode(), run.stderr());
        JsonNode result = new ObjectMapper().readTree(run.stdout()).get("results").get(0);
        assertEquals("fp8-channel", result.get("format").asText());
        double rate = result.get("decode_tokens_per_second").asDouble();
        assertEquals(1000 / result.get("latency_p50_ms").asDouble(), rate, 1e-9 * rate);
        assertTrue(result.get("latency_p50_ms").asDouble() <= result.get("latency_p99_ms").asDouble());
        assertTrue(result.get("latency_p99_ms").asDouble() <= result.get("latency_max_ms").asDouble());
        assertEquals(result.get("weight_bytes_per_token").asDouble() * rate / result.get("bandwidth_bytes_per_second").asDouble(),
                result.get("roofline_fraction").asDouble(), 1e-9);
        assertTrue(result.get("read_p99_over_p50").asDouble() >= 1, result.toString());
        assertTrue(result.get("run_p99_over_p50").asDouble() >= 1, result.toString());

        JsonNode steps = result.get("steps");
        Set<String> kinds = new TreeSet<>();
        double share = 0;
        double weightMb = 0;
        for (JsonNode step : steps) {
            kinds.add(step.get("step").asText().split(" ")[0]);
            int perToken = step.get("count").asInt();
            assertEquals(step.get("step").asText().startsWith("embed") || step.get("step").asText().startsWith("lm_head")
                    ? 1 : 5, perToken, step.toString());
            share += step.get("share").asDouble();
            weightMb += step.get("weight_mb").asDouble();
            assertTrue(step.get("busy").asDouble() > 0 && step.get("busy").asDouble() <= 1, step.toString());
        }
        Set<String> expected = new TreeSet<>();
        for (StepKind kind : StepKind.values()) {
            expected.add(kind.name().toLowerCase());
        }
        assertEquals(expected, kinds);
        assertEquals(1, share, 1e-9);
        // Every weight a decode step reads belongs to exactly one step (stories260K ties its embedding to
        // lm_head, which the lm_head step counts).
        assertEquals(result.get("weight_bytes_per_token").asDouble() / 1e6, weightMb, 1e-9);
    }

    @Test
    void formatsAreTimedInTurns() throws Exception {
        CommandLineRun run = CommandLineRun.of("bench", "--model", STORIES, "--weights", "fp8,f32", "--threads", "1",
                "--prompt-tokens", "4", "--gen-tokens", "4", "--repeat", "2", "--bandwidth-mb", "16", "--no-cache",
                "--format", "json");
        assertEquals(0, run.exitCode(), run.stderr());
        List<String> timed = run.stderr().lines().filter(line -> line.contains("(run ")).toList();
        assertEquals(4, timed.size(), run.stderr());
        String[] expected = {"fp8-channel: read bandwidth", "f32: read bandwidth", "fp8-channel: read bandwidth",
                "f32: read bandwidth"};
        for (int i = 0; i < expected.length; i++) {
            assertTrue(timed.get(i).contains(expected[i]) && timed.get(i).contains("(run " + (i / 2 + 1) + " of 2)"),
                    timed.get(i));
        }
        JsonNode results = new ObjectMapper().readTree(run.stdout()).get("results");
        assertEquals("fp8-channel", results.get(0).get("format").asText());
        assertEquals("f32", results.get(1).get("format").asText());
    }

    @Test
    void badFlagsGiveOneLineAndExitTwo() {
        CommandLineRun run = CommandLineRun.of("bench", "--model", STORIES, "--repeat", "0");
        assertEquals(2, run.exitCode());
        assertEquals(1, run.stderr().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("--repeat"), run.stderr());
    }
}
