package io.lpu4j.app;

import io.lpu4j.bench.endtoend.BenchReport;
import io.lpu4j.bench.endtoend.BenchSettings;
import io.lpu4j.bench.endtoend.EndToEndBenchmark;
import io.lpu4j.bench.endtoend.MachineInfo;
import io.lpu4j.engine.exec.ShardCache;
import io.lpu4j.engine.plan.WeightFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lpu bench}: end-to-end speed per weight format, with the measured roofline. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure prefill, time to first token, decode speed and per-token latency per weight format,",
                "and the fraction of the machine's read bandwidth (measured in the same process) that decode reaches."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (e.g. one written by lpu synth).")
    Path model;

    @Option(names = "--weights", split = ",", paramLabel = "FORMAT",
            description = "One or more formats, loaded together in this process, their timed runs taking turns (default: f32,bf16,fp8).")
    List<String> weights = List.of("f32", "bf16", "fp8");

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: the available cores).")
    Integer threads;

    @Option(names = "--prompt-tokens", paramLabel = "N", description = "Prefill length (default: ${DEFAULT-VALUE}).")
    int promptTokens = 128;

    @Option(names = "--gen-tokens", paramLabel = "N", description = "Decode steps per run (default: ${DEFAULT-VALUE}).")
    int genTokens = 128;

    @Option(names = "--repeat", paramLabel = "N", description = "Runs per format (default: ${DEFAULT-VALUE}).")
    int repeat = 3;

    @Option(names = "--bandwidth-mb", paramLabel = "MB", description = "Bandwidth probe buffer (default: ${DEFAULT-VALUE}).")
    int bandwidthMb = 512;

    @Option(names = "--format", description = "md (default) or json.")
    String format = "md";

    @Option(names = "--no-cache", description = "Do not use the shard cache.")
    boolean noCache;

    @Option(names = "--steps", description = "Also time every step of the decode passes and print where the time goes.")
    boolean steps;

    @Override
    public Integer call() {
        if (!Files.isDirectory(model)) {
            throw new UserError("--model: " + model + " is not a directory");
        }
        List<WeightFormat> formats = new ArrayList<>();
        for (String w : weights) {
            formats.add(WeightsFlag.parse(w.trim()));
        }
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1 || promptTokens < 1 || genTokens < 1 || repeat < 1 || bandwidthMb < 1) {
            throw new UserError("--threads, --prompt-tokens, --gen-tokens, --repeat and --bandwidth-mb must be positive");
        }
        if (!format.equals("md") && !format.equals("json")) {
            throw new UserError("--format: expected md or json, got '" + format + "'");
        }
        BenchSettings settings = new BenchSettings(formats, n, promptTokens, genTokens, repeat,
                (long) bandwidthMb * 1_000_000L, noCache ? null : new ShardCache(ShardCache.defaultRoot()), steps);
        EndToEndBenchmark benchmark = new EndToEndBenchmark(model, settings, System.err);
        if (promptTokens + genTokens + 1 > benchmark.config().maxPositions()) {
            throw new UserError("--prompt-tokens + --gen-tokens must fit the model's context of "
                    + benchmark.config().maxPositions() + " tokens");
        }
        String command = "lpu bench --model " + model + " --weights " + String.join(",", weights) + " --threads " + n
                + " --prompt-tokens " + promptTokens + " --gen-tokens " + genTokens + " --repeat " + repeat
                + (steps ? " --steps" : "");
        BenchReport report = new BenchReport(model.getFileName().toString(), command, MachineInfo.here(), settings,
                benchmark.run());
        System.out.println(format.equals("json") ? report.json() : report.markdown());
        return 0;
    }
}
