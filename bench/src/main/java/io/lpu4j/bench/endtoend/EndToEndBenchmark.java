package io.lpu4j.bench.endtoend;

import io.lpu4j.engine.exec.Executor;
import io.lpu4j.engine.exec.StepTimes;
import io.lpu4j.engine.generate.Sampler;
import io.lpu4j.engine.generate.SamplingSettings;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.model.TensorNames;
import io.lpu4j.engine.plan.Plan;
import io.lpu4j.engine.plan.PlanSettings;
import io.lpu4j.engine.plan.Planner;
import io.lpu4j.engine.plan.ShardPlan;
import io.lpu4j.engine.plan.TensorPlacement;
import io.lpu4j.engine.plan.WeightFormat;
import io.lpu4j.weights.Checkpoint;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The end-to-end benchmark: per weight format, load the model through the static executor, then
 * (after a warm-up that lets the JIT compile the kernels) time prefill and greedy decode the way a
 * user experiences them, the formats' runs taking turns. Prompt tokens are seeded random ids, so
 * models without a tokenizer work too.
 */
public final class EndToEndBenchmark {
    /** Warm-up lasts at least this long: C2 must have compiled every kernel before anything is timed. */
    private static final long WARMUP_NANOS = 3_000_000_000L;
    /**
     * ... and goes on until a whole round (prefill and decode) compiles nothing, up to this long: methods
     * run once per token (the logits step, the team's step loop) reach C2 only after minutes of
     * tokens' worth of calls, and a compilation during a timed run steals one of the two cores.
     */
    private static final long WARMUP_LIMIT_NANOS = 60_000_000_000L;
    /** Bandwidth passes before each timed run and after the last: the roofline divides by their median. */
    private static final int BANDWIDTH_PASSES = 3;
    /**
     * Time given per format to the host's own latency spread ({@link ReadBandwidth#stepTimes}): as many
     * steps as the format's timed decode steps, fewer if they would take longer than this.
     */
    private static final long READ_SPREAD_BUDGET_NANOS = 10_000_000_000L;

    private final Path modelDir;
    private final ModelConfig config;
    private final BenchSettings settings;
    private final PrintStream progress;

    public EndToEndBenchmark(Path modelDir, BenchSettings settings, PrintStream progress) {
        this.modelDir = modelDir;
        this.config = ModelConfig.load(modelDir);
        this.settings = settings;
        this.progress = progress;
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Loads every format, then warms them up and times them in turns (format A's run 1, B's run 1,
     * ..., A's run 2, ...): the shared machine's bandwidth drifts over minutes, and one format timed
     * after another would carry that drift into the ratios between them.
     */
    public List<FormatResult> run() {
        List<Contender> contenders = new ArrayList<>();
        try (ReadBandwidth probe = new ReadBandwidth(settings.bandwidthBytes(), settings.threads())) {
            for (WeightFormat format : settings.formats()) {
                contenders.add(load(format));
            }
            warmUp(contenders, probe);
            // Start the timed runs with an empty young generation: the little they allocate between
            // runs (progress lines, the probe's threads) must not be what fills it.
            System.gc();
            long collectionsBefore = collections();
            for (int rep = 0; rep < settings.repetitions(); rep++) {
                for (Contender c : contenders) {
                    say("%s: read bandwidth (%d thread%s, %.0f MB buffer), then prefill %d tokens and decode %d "
                                    + "(run %d of %d)", c.format.flag(), settings.threads(),
                            settings.threads() == 1 ? "" : "s", settings.bandwidthBytes() / 1e6,
                            c.prompt.length, settings.genTokens(), rep + 1, settings.repetitions());
                    c.bandwidth.add(probe.measure(BANDWIDTH_PASSES));
                    c.time(rep);
                }
            }
            double[] after = probe.measure(BANDWIDTH_PASSES);
            long collections = collections() - collectionsBefore;
            if (collections > 0) {
                say("warning: %d garbage collection%s during the timed runs (their pauses are in the latencies)",
                        collections, collections == 1 ? "" : "s");
            }
            List<FormatResult> results = new ArrayList<>();
            for (Contender c : contenders) {
                c.bandwidth.add(after);
                c.measureReadSpread(probe);
                results.add(c.result());
            }
            return results;
        } finally {
            for (Contender c : contenders) {
                c.close();
            }
        }
    }

    private Contender load(WeightFormat format) {
        int context = Math.min(config.maxPositions(), settings.promptTokens() + settings.genTokens() + 1);
        Plan plan = Planner.plan(config, PlanSettings.defaults(format, settings.threads(), context));
        say("%s: loading (%d shards, %.0f MB)", format.flag(), plan.shards().size(), plan.weightBytes() / 1e6);
        long rssBefore = rss();
        long loadStart = System.nanoTime();
        Checkpoint checkpoint = Checkpoint.open(modelDir);
        try {
            Executor executor = Executor.load(plan, checkpoint, settings.cache());
            return new Contender(format, plan, checkpoint, executor, (System.nanoTime() - loadStart) / 1e9,
                    rss() - rssBefore);
        } catch (RuntimeException | Error e) {
            checkpoint.close();
            throw e;
        }
    }

    /** One format's executor and what its timed runs measure. */
    private final class Contender implements AutoCloseable {
        final WeightFormat format;
        final Plan plan;
        final Checkpoint checkpoint;
        final Executor executor;
        final double loadSeconds;
        final long rssAddedBytes;
        final int[] prompt = prompt();
        final Sampler sampler = new Sampler(SamplingSettings.greedy(), config.vocabSize());
        final double[] prefill = new double[settings.repetitions()];
        final double[] firstToken = new double[settings.repetitions()];
        final long[] latencies = new long[settings.repetitions() * settings.genTokens()];
        final long[] run = new long[settings.genTokens()];
        /** Each timed run's own p99/p50. */
        final double[] runSpread = new double[settings.repetitions()];
        final StepTimes stepTimes;
        /** Bandwidth passes taken just before each of this format's timed runs, and after the last run. */
        final List<double[]> bandwidth = new ArrayList<>();
        /** p99/p50 of plain reads of this format's weight bytes per token, step after step. */
        double readSpread;

        Contender(WeightFormat format, Plan plan, Checkpoint checkpoint, Executor executor, double loadSeconds,
                  long rssAddedBytes) {
            this.format = format;
            this.plan = plan;
            this.checkpoint = checkpoint;
            this.executor = executor;
            this.loadSeconds = loadSeconds;
            this.rssAddedBytes = rssAddedBytes;
            this.stepTimes = settings.profileSteps() ? new StepTimes(settings.threads(), plan.steps().size()) : null;
        }

        /** One round of prefill and decode, untimed. */
        void exercise() {
            executor.forward(prompt, prompt.length, 0, null);
            decode(executor, sampler, prompt.length, settings.genTokens(), run);
        }

        /** Timed run {@code rep}: prefill, first token, decode steps. */
        void time(int rep) {
            long start = System.nanoTime();
            executor.forward(prompt, prompt.length, 0, null);
            prefill[rep] = (System.nanoTime() - start) / 1e9;
            sampler.next(executor.logits());
            firstToken[rep] = (System.nanoTime() - start) / 1e6;
            executor.timeSteps(stepTimes);
            decode(executor, sampler, prompt.length, settings.genTokens(), run);
            executor.timeSteps(null);
            System.arraycopy(run, 0, latencies, rep * run.length, run.length);
            long[] sorted = run.clone();
            Arrays.sort(sorted);
            runSpread[rep] = percentile(sorted, 0.99) / percentile(sorted, 0.50);
        }

        /** Bytes per second: the median of every bandwidth pass taken beside this format's runs. */
        double bandwidthMedian() {
            return median(bandwidth.stream().flatMapToDouble(Arrays::stream).toArray());
        }

        /** The host's latency spread for reads the size of this format's decode step (after the timed runs). */
        void measureReadSpread(ReadBandwidth probe) {
            long bytes = weightBytesPerToken(plan);
            double secondsPerStep = bytes / bandwidthMedian();
            int steps = (int) Math.max(16, Math.min(latencies.length, READ_SPREAD_BUDGET_NANOS / 1e9 / secondsPerStep));
            say("%s: host read spread (%d reads of %.0f MB)", format.flag(), steps, bytes / 1e6);
            long[] sorted = probe.stepTimes(bytes, steps);
            Arrays.sort(sorted);
            readSpread = percentile(sorted, 0.99) / percentile(sorted, 0.50);
        }

        FormatResult result() {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            double p50 = percentile(sorted, 0.50) / 1e6;
            long bytesPerToken = weightBytesPerToken(plan);
            double decodeRate = 1000.0 / p50;
            double prefillSeconds = median(prefill);
            double bytesPerSecond = bandwidthMedian();
            return new FormatResult(format.flag(), loadSeconds, executor.shardsFromCache(),
                    prompt.length / prefillSeconds,
                    prefillFlops(prompt.length) / prefillSeconds / settings.threads() / 1e9,
                    median(firstToken), decodeRate, p50, percentile(sorted, 0.99) / 1e6,
                    sorted[sorted.length - 1] / 1e6, median(runSpread), bytesPerToken, bytesPerSecond,
                    bytesPerToken * decodeRate / bytesPerSecond, readSpread,
                    plan.weightBytes() + plan.arenaBytes() + plan.kvCacheBytes(), rssAddedBytes,
                    stepTimes == null ? List.of()
                            : StepProfile.of(plan, stepTimes, settings.repetitions() * settings.genTokens()));
        }

        @Override
        public void close() {
            try {
                executor.close();
            } finally {
                checkpoint.close();
            }
        }
    }

    /**
     * Runs rounds of every format's prefill and decode and the bandwidth probe's sum for at least
     * {@link #WARMUP_NANOS} per format, then on until a whole round compiles nothing (or
     * {@link #WARMUP_LIMIT_NANOS} per format has passed): the formats share the steps' code, so the
     * JIT must be quiet with all of them in turn, as they will be timed.
     */
    private void warmUp(List<Contender> contenders, ReadBandwidth probe) {
        say("warming up %s", contenders.stream().map(c -> c.format.flag()).toList());
        long warmupStart = System.nanoTime();
        long least = WARMUP_NANOS * contenders.size();
        long most = WARMUP_LIMIT_NANOS * contenders.size();
        boolean compiled;
        do {
            long compiledBefore = jitMillis();
            probe.exercise();
            for (Contender c : contenders) {
                c.exercise();
            }
            compiled = jitMillis() > compiledBefore;
        } while (System.nanoTime() - warmupStart < least || compiled && System.nanoTime() - warmupStart < most);
        say("warmed up in %.1f s (%s)", (System.nanoTime() - warmupStart) / 1e9,
                compiled ? "the JIT was still compiling at the limit" : "JIT quiet");
    }

    /** Garbage collections so far in this JVM, all collectors. */
    private static long collections() {
        long count = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    /** Milliseconds the JIT has spent compiling so far in this JVM (0 where that is not measured). */
    private static long jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    /** Greedy decode from position {@code start}, one latency per step (forward pass + sampling). */
    private static void decode(Executor executor, Sampler sampler, int start, int steps, long[] latencies) {
        int[] token = {sampler.next(executor.logits())};
        for (int i = 0; i < steps; i++) {
            long t = System.nanoTime();
            executor.forward(token, 1, start + i, null);
            token[0] = sampler.next(executor.logits());
            latencies[i] = System.nanoTime() - t;
        }
    }

    private int[] prompt() {
        SplittableRandom random = new SplittableRandom(42);
        int[] ids = new int[settings.promptTokens()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(config.vocabSize());
        }
        return ids;
    }

    /**
     * Bytes one decode step streams: every shard except the embedding rows (one row of it is read,
     * which is negligible) — unless the embedding is also the lm_head, which reads all of it.
     */
    static long weightBytesPerToken(Plan plan) {
        boolean tied = plan.config().tiedEmbeddings();
        long bytes = 0;
        for (Map.Entry<String, Long> tensor : tensorBytes(plan).entrySet()) {
            if (tied || !tensor.getKey().equals(TensorNames.EMBEDDING)) {
                bytes += tensor.getValue();
            }
        }
        return bytes;
    }

    /** Bytes (codes and scales) of each tensor in the plan's shards, its pieces added up. */
    static Map<String, Long> tensorBytes(Plan plan) {
        Map<String, Long> bytes = new HashMap<>();
        for (ShardPlan shard : plan.shards()) {
            for (TensorPlacement p : shard.placements()) {
                bytes.merge(p.tensor(), p.dataBytes() + p.scalesBytes(), Long::sum);
            }
        }
        return bytes;
    }

    /** Multiply-adds of a prefill: every linear layer for every token, lm_head for the last, attention. */
    private double prefillFlops(int tokens) {
        ModelConfig c = config;
        double linear = (double) c.hiddenSize() * (c.queryDim() + 2L * c.kvDim()) + (double) c.queryDim() * c.hiddenSize()
                + 3.0 * c.hiddenSize() * c.intermediateSize();
        double attention = 2.0 * c.numHeads() * c.headDim() * tokens * (tokens + 1) / 2.0;
        return 2 * (linear * tokens * c.numLayers() + attention * c.numLayers() + (double) c.vocabSize() * c.hiddenSize());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** VmRSS from /proc/self/status (Linux): resident bytes now, or 0 where that is not known. */
    static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private void say(String format, Object... args) {
        progress.printf("lpu bench: " + format + "%n", args);
    }
}
