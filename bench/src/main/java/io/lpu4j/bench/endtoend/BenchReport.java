package io.lpu4j.bench.endtoend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders benchmark results as a Markdown table or JSON, with the machine and method beside them. */
public record BenchReport(String model, String command, MachineInfo machine, BenchSettings settings,
                          List<FormatResult> results) {

    public String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(model).append("\n\n");
        out.append("Machine: ").append(machine.line()).append("  \n");
        out.append("Command: `").append(command).append("`  \n");
        out.append(String.format("Method: %d threads; prefill of %d random token ids, then %d greedy decode steps, "
                        + "%d runs per format, the formats taking turns (all loaded at once), after a warm-up of "
                        + "at least 3 s per format that ends once a whole round compiles nothing (JIT quiet; at "
                        + "most 60 s per format); times are medians, latency percentiles pool all runs (run p99/p50: each run's own, median over the runs); "
                        + "bandwidth = median of vector sums over a %.0f MB buffer with the same threads, "
                        + "3 before each of the format's timed runs and 3 after the last; read p99/p50 = the "
                        + "same spread for plain vector sums of the format's weight MB/token, one after another "
                        + "(the host's own floor under the decode's p99/p50); RSS added = resident memory the "
                        + "format's loading added.%n%n",
                settings.threads(), settings.promptTokens(), settings.genTokens(), settings.repetitions(),
                settings.bandwidthBytes() / 1e6));
        out.append("| weights | load s | prefill tok/s | prefill GFLOP/s/core | TTFT ms | decode tok/s | "
                + "p50 ms | p99 ms | max ms | p99/p50 | run p99/p50 | read p99/p50 | weight MB/token | bandwidth GB/s | roofline | off-heap MB | RSS added MB |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (FormatResult r : results) {
            out.append(String.format("| %s | %.1f%s | %.1f | %.1f | %.0f | %.2f | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %.2f | %.1f | %.0f |%n",
                    r.format(), r.loadSeconds(), r.fromCache() ? " (cache)" : "", r.prefillTokensPerSecond(),
                    r.prefillGflopsPerCore(), r.timeToFirstTokenMs(), r.decodeTokensPerSecond(), r.latencyP50Ms(),
                    r.latencyP99Ms(), r.latencyMaxMs(), r.latencyP99Ms() / r.latencyP50Ms(), r.runP99OverP50(), r.readP99OverP50(),
                    r.weightBytesPerToken() / 1e6, r.bandwidthBytesPerSecond() / 1e9, r.rooflineFraction(),
                    r.offHeapBytes() / 1e6, r.rssAddedBytes() / 1e6));
        }
        ratios(out);
        for (FormatResult r : results) {
            steps(out, r);
        }
        return out.toString();
    }

    /** The per-step profile of one format, if it was taken. */
    private static void steps(StringBuilder out, FormatResult r) {
        if (r.steps().isEmpty()) {
            return;
        }
        out.append("\n#### Where decode time goes: ").append(r.format()).append("\n\n");
        out.append("Per kind of step, all layers together, over the timed decode steps. Wall = worker 0's time in "
                + "the steps and at the barriers after them; busy = the workers' time in the steps ÷ (workers × "
                + "wall), the rest being waits for the slowest worker.\n\n");
        out.append("| step | per token | ms per token | share | weight MB per token | GB/s | busy |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (StepProfile s : r.steps()) {
            out.append(String.format("| %s | %d | %.3f | %.1f %% | %.2f | %.1f | %.0f %% |%n", s.step(), s.count(),
                    s.msPerToken(), 100 * s.share(), s.weightMb(), s.gbPerSecond(), 100 * s.busy()));
        }
    }

    /** Decode speed of each format relative to the others, measured in this same run. */
    private void ratios(StringBuilder out) {
        if (results.size() < 2) {
            return;
        }
        out.append("\nDecode speed ratios (same run): ");
        List<String> parts = new java.util.ArrayList<>();
        for (FormatResult a : results) {
            for (FormatResult b : results) {
                if (a != b && a.decodeTokensPerSecond() > b.decodeTokensPerSecond()) {
                    parts.add(String.format("%s/%s %.2f×", a.format(), b.format(),
                            a.decodeTokensPerSecond() / b.decodeTokensPerSecond()));
                }
            }
        }
        out.append(String.join(", ", parts)).append("\n");
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("model", model);
        root.put("command", command);
        root.put("machine", machine);
        root.put("settings", Map.of("threads", settings.threads(), "prompt_tokens", settings.promptTokens(),
                "gen_tokens", settings.genTokens(), "repetitions", settings.repetitions(),
                "bandwidth_buffer_bytes", settings.bandwidthBytes()));
        root.put("results", results);
        try {
            return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
