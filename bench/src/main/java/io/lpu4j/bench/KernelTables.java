package io.lpu4j.bench;

import io.lpu4j.bench.kernel.AttentionBenchmark;
import io.lpu4j.bench.kernel.BenchData;
import io.lpu4j.bench.kernel.LayerKernelBenchmark;
import io.lpu4j.bench.kernel.MatMulBenchmark;
import io.lpu4j.bench.kernel.MatVecBenchmark;
import io.lpu4j.bench.kernel.ReadBandwidthBenchmark;
import io.lpu4j.bench.kernel.Shape;
import io.lpu4j.engine.plan.WeightFormat;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The tables of {@code bench/KERNELS.md}, computed from JMH's results: every figure is a median over
 * measured iterations (see {@link Scores}), and every ratio divides two medians of the same run.
 *
 * <p>The throughput benchmarks count one operation per thread's share of the work, and JMH adds up
 * the threads' operations per second: so work per second = ops/s × (work of the whole job / threads).
 */
final class KernelTables {
    /** The target: FP8 matrix-vector products at ≥ 80 % of the read bandwidth. */
    private static final double FP8_TARGET = 0.80;
    private static final List<WeightFormat> FP8 =
            List.of(WeightFormat.FP8_CHANNEL, WeightFormat.FP8_TENSOR, WeightFormat.FP8_BLOCK);
    /** The benchmark methods of the threaded benchmarks, named for their {@code @Threads}: 1, then 2. */
    private static final List<String> METHODS = List.of("oneThread", "twoThreads");
    /** Iterations whose max exceeds min by this factor get a warning mark (see {@link KernelReport}). */
    static final double SPREAD_FLAG = 1.25;

    /** The results of each JMH run, in the order the runs happened. */
    private final List<List<RunResult>> runs;
    private final List<RunResult> results;

    KernelTables(List<List<RunResult>> runs) {
        this.runs = runs;
        this.results = runs.stream().flatMap(List::stream).toList();
    }

    List<String> bandwidth() {
        List<String> out = header("Read bandwidth",
                "A plain Vector API sum over a " + KernelSuite.DRAM_MIB + " MiB buffer (each thread its half), "
                        + "measured before and after each format's matrix-vector products from DRAM: the rows show "
                        + "how much the shared machine drifted during the run.",
                "| measured | threads | GB/s | min – max |", "|---|---:|---:|---|");
        for (int i = 0; i < runs.size(); i++) {
            for (String method : METHODS) {
                List<RunResult> bandwidth = bandwidthRuns(runs.get(i), method);
                if (!bandwidth.isEmpty()) {
                    Scores s = bandwidth(bandwidth);
                    out.add(row(neighbours(i), threads(method), f1(s.median()), range(s)));
                }
            }
        }
        return out;
    }

    List<String> matVec() {
        List<String> out = header("Decode: matrix-vector product from DRAM",
                "One token. Each thread cycles through distinct copies of the matrix, at least "
                        + KernelSuite.DRAM_MIB + " MiB of weights in every format, so every product reads its "
                        + "weights from DRAM. GB/s counts the weight bytes read (codes and scales). \"% of read "
                        + "bandwidth\" divides by the larger of two reads of the memory, same number of threads: the "
                        + "median of the plain-sum runs just before and after this format's products, and F32's own "
                        + "product (on two threads it has read faster than the plain sum, and what F32 got the "
                        + "memory evidently gives); the FP8 target is ≥ " + percent(FP8_TARGET) + " of it. \"% of "
                        + "ceiling\" divides by the same format from cache (next tables) times the threads: near "
                        + "100 % the kernel's arithmetic, not memory, is the limit.",
                "| format | shape | threads | GB/s | min – max | % of read bandwidth | % of ceiling | µs per product "
                        + "| FP8 target |",
                "|---|---|---:|---:|---|---:|---:|---:|---|");
        int fp8Rows = 0;
        int met = 0;
        for (String shape : shapes(MatVecBenchmark.class, Map.of("weightsMiB", KernelSuite.DRAM_MIB))) {
            for (String method : METHODS) {
                double f32 = dramGbPerSecond(method, WeightFormat.F32, shape).median();
                for (WeightFormat format : WeightFormat.values()) {
                    double bandwidth = Math.max(bandwidthAround(shape, format, method).median(), f32);
                    long bytes = BenchData.matrixBytes(format, Shape.parse(shape));
                    Scores s = dramGbPerSecond(method, format, shape);
                    double fraction = s.median() / bandwidth;
                    String target = "";
                    if (FP8.contains(format)) {
                        fp8Rows++;
                        met += fraction >= FP8_TARGET ? 1 : 0;
                        target = fraction >= FP8_TARGET ? "met" : "not met";
                    }
                    out.add(row(format, shape, threads(method), f1(s.median()), range(s), percent(fraction),
                            percent(s.median() / (cachedBytes(format).median() * threads(method))),
                            f1(bytes / (s.median() * 1e3)), target));
                }
            }
        }
        out.add("");
        out.add("FP8 target (≥ " + percent(FP8_TARGET) + " of the read bandwidth): met in " + met + " of " + fp8Rows
                + " FP8 rows.");
        return out;
    }

    /** GB/s of weights read by {@code format}'s one-token product from DRAM, per iteration. */
    private Scores dramGbPerSecond(String method, WeightFormat format, String shape) {
        long bytes = BenchData.matrixBytes(format, Shape.parse(shape));
        return Scores.of(dramMatVec(method, format, shape), (p, ops) -> ops * bytes / p.getThreads() / 1e9);
    }

    List<String> fp8Ratios() {
        List<String> out = header("FP8 against F32 and BF16",
                "Products per second of the FP8 format divided by those of F32 or BF16, same shape and threads, "
                        + "from the DRAM table above: the speed-up a decode step would see.",
                "| FP8 format | shape | threads | ÷ F32 | ÷ BF16 |", "|---|---|---:|---:|---:|");
        for (String shape : shapes(MatVecBenchmark.class, Map.of("weightsMiB", KernelSuite.DRAM_MIB))) {
            for (String method : METHODS) {
                for (WeightFormat format : FP8) {
                    double fp8 = products(method, format, shape);
                    out.add(row(format, shape, threads(method), f2(fp8 / products(method, WeightFormat.F32, shape)),
                            f2(fp8 / products(method, WeightFormat.BF16, shape))));
                }
            }
        }
        return out;
    }

    List<String> cachedMatVec() {
        Shape shape = Shape.parse(KernelSuite.CACHED_SHAPE);
        double weights = (double) shape.rows() * shape.cols();
        List<String> out = header("Decode ceiling: matrix-vector product from cache",
                "One " + KernelSuite.CACHED_SHAPE + " matrix multiplied again and again by one thread: it stays "
                        + "in the core's L2, so this is what each format's kernel computes when memory is not "
                        + "the limit (for FP8, the decode's cost). One core's DRAM product cannot beat it.",
                "| format | weights/ns | GB/s of weight bytes | min – max (GB/s) |", "|---|---:|---:|---|");
        for (WeightFormat format : WeightFormat.values()) {
            Scores s = cachedBytes(format);
            double bytesPerWeight = BenchData.matrixBytes(format, shape) / weights;
            out.add(row(format, f1(s.median() / bytesPerWeight), f1(s.median()), range(s)));
        }
        return out;
    }

    /** GB/s of the one-thread product from cache. */
    private Scores cachedBytes(WeightFormat format) {
        long bytes = BenchData.matrixBytes(format, Shape.parse(KernelSuite.CACHED_SHAPE));
        return Scores.of(find(MatVecBenchmark.class, METHODS.getFirst(),
                        Map.of("weightsMiB", "0", "format", format.name(), "shape", KernelSuite.CACHED_SHAPE)),
                (p, ops) -> ops * bytes / 1e9);
    }

    List<String> prefill() {
        List<String> out = header("Prefill: matrix product",
                "A batch of tokens through one matrix (the tiled path: each 4-row tile decoded to F32 once, then "
                        + "a 4 × 4 register tile over the tokens). FLOP = 2 · rows · cols · tokens.",
                "| format | shape | tokens | threads | GFLOP/s per core | min – max | GFLOP/s total |",
                "|---|---|---:|---:|---:|---|---:|");
        for (String shape : shapes(MatMulBenchmark.class, Map.of())) {
            for (String method : METHODS) {
                for (WeightFormat format : WeightFormat.values()) {
                    List<RunResult> runs = find(MatMulBenchmark.class, method, Map.of("format", format.name(), "shape", shape));
                    String tokens = runs.getFirst().getParams().getParam("tokens");
                    double flops = Shape.parse(shape).flopsPerToken() * Integer.parseInt(tokens);
                    // Each op is one thread's share (flops / threads); per core divides by threads again.
                    Scores s = Scores.of(runs, (p, ops) -> ops * flops / p.getThreads() / p.getThreads() / 1e9);
                    out.add(row(format, shape, tokens, threads(method), f1(s.median()), range(s),
                            f1(s.median() * threads(method))));
                }
            }
        }
        return out;
    }

    /** A row of the small-kernel table: the benchmark, what it is called and sized, and the values one call handles. */
    private record Small(Class<?> benchmark, String method, String name, Function<BenchmarkParams, String> size,
                         ToIntFunction<BenchmarkParams> values, String unit) {
    }

    List<String> smallKernels() {
        int hidden = LayerKernelBenchmark.HIDDEN;
        int heads = LayerKernelBenchmark.HEADS;
        int headDim = LayerKernelBenchmark.HEAD_DIM;
        int mlp = LayerKernelBenchmark.MLP;
        List<Small> kernels = List.of(
                new Small(LayerKernelBenchmark.class, "f16ToF32", "FP16 → F32 (Activations.widen)",
                        p -> hidden + " values", p -> hidden, "values/ns"),
                new Small(LayerKernelBenchmark.class, "f32ToF16", "F32 → FP16 (Activations.store)",
                        p -> hidden + " values", p -> hidden, "values/ns"),
                new Small(LayerKernelBenchmark.class, "rmsNorm", "RmsNorm.normalize",
                        p -> "hidden " + hidden, p -> hidden, "values/ns"),
                new Small(LayerKernelBenchmark.class, "rope", "Rope.rotate",
                        p -> heads + " heads × " + headDim, p -> heads * headDim, "values/ns"),
                new Small(LayerKernelBenchmark.class, "siluTimes", "VectorMath.siluTimes",
                        p -> mlp + " values", p -> mlp, "values/ns"),
                new Small(AttentionBenchmark.class, "softmaxExp", "softmax exponentials (VectorMath.expInPlace)",
                        p -> p.getParam("positions") + " values", KernelTables::positions, "values/ns"),
                new Small(AttentionBenchmark.class, "widen", "Attention.widen (one kv head's F16 keys → F32, head_dim 64)",
                        p -> p.getParam("positions") + " positions", KernelTables::positions, "positions/ns"),
                new Small(AttentionBenchmark.class, "head", "Attention.head (one query head over widened rows, head_dim 64)",
                        p -> p.getParam("positions") + " positions", KernelTables::positions, "positions/ns"));
        List<String> out = header("Small kernels",
                "One thread, data in cache (a single head's keys and values included), called as the executor "
                        + "calls them. The FP8 decode is measured by the cache-resident matrix-vector table above.",
                "| kernel | size | ns per call | min – max | throughput |", "|---|---|---:|---|---:|");
        for (Small k : kernels) {
            for (RunResult run : find(k.benchmark(), k.method(), Map.of())) {
                Scores s = Scores.of(List.of(run), (p, ns) -> ns);
                BenchmarkParams p = run.getParams();
                out.add(row(k.name(), k.size().apply(p), f1(s.median()), range(s),
                        f2(k.values().applyAsInt(p) / s.median()) + " " + k.unit()));
            }
        }
        return out;
    }

    private static int positions(BenchmarkParams params) {
        return Integer.parseInt(params.getParam("positions"));
    }

    private static Scores bandwidth(List<RunResult> runs) {
        return Scores.of(runs, (p, ops) -> ops * (Long.parseLong(p.getParam("sizeMiB")) << 20) / p.getThreads() / 1e9);
    }

    private static List<RunResult> bandwidthRuns(List<RunResult> run, String method) {
        return find(run, ReadBandwidthBenchmark.class, method, Map.of());
    }

    /**
     * The bandwidth measured by the nearest bandwidth runs before and after the DRAM products of
     * {@code format} on {@code shape}.
     */
    private Scores bandwidthAround(String shape, WeightFormat format, String method) {
        int at = 0;
        while (dramMatVec(runs.get(at), method, format, shape).isEmpty()) {
            at++;
        }
        List<RunResult> around = new ArrayList<>();
        for (int step : new int[] {-1, 1}) {
            for (int i = at + step; i >= 0 && i < runs.size(); i += step) {
                List<RunResult> bandwidth = bandwidthRuns(runs.get(i), method);
                if (!bandwidth.isEmpty()) {
                    around.addAll(bandwidth);
                    break;
                }
            }
        }
        return bandwidth(around);
    }

    /** "before F32 5632x2048", "after F32 5632x2048, before BF16 5632x2048", ...: when bandwidth run {@code i} happened. */
    private String neighbours(int i) {
        List<String> when = new ArrayList<>();
        if (i > 0 && !productsIn(runs.get(i - 1)).isEmpty()) {
            when.add("after " + String.join(", ", productsIn(runs.get(i - 1))));
        }
        if (i + 1 < runs.size() && !productsIn(runs.get(i + 1)).isEmpty()) {
            when.add("before " + String.join(", ", productsIn(runs.get(i + 1))));
        }
        return String.join(", ", when);
    }

    /** The DRAM products a run measured, as "FORMAT SHAPE". */
    private static List<String> productsIn(List<RunResult> run) {
        return find(run, MatVecBenchmark.class, METHODS.getFirst(), Map.of("weightsMiB", KernelSuite.DRAM_MIB)).stream()
                .map(r -> r.getParams().getParam("format") + " " + r.getParams().getParam("shape")).distinct().toList();
    }

    private List<RunResult> dramMatVec(String method, WeightFormat format, String shape) {
        return dramMatVec(results, method, format, shape);
    }

    private static List<RunResult> dramMatVec(List<RunResult> results, String method, WeightFormat format, String shape) {
        return find(results, MatVecBenchmark.class, method,
                Map.of("weightsMiB", KernelSuite.DRAM_MIB, "format", format.name(), "shape", shape));
    }

    /** Median whole products per second. */
    private double products(String method, WeightFormat format, String shape) {
        return Scores.of(dramMatVec(method, format, shape), (p, ops) -> ops / p.getThreads()).median();
    }

    /** The shapes measured by a benchmark with these parameters, in the order they ran. */
    private List<String> shapes(Class<?> benchmark, Map<String, String> params) {
        return find(benchmark, METHODS.getFirst(), params).stream()
                .map(r -> r.getParams().getParam("shape")).distinct().toList();
    }

    /** The results of {@code benchmark.method} whose parameters include {@code params}. */
    private List<RunResult> find(Class<?> benchmark, String method, Map<String, String> params) {
        return find(results, benchmark, method, params);
    }

    private static List<RunResult> find(List<RunResult> results, Class<?> benchmark, String method,
                                        Map<String, String> params) {
        String name = benchmark.getName() + "." + method;
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().equals(name))
                .filter(r -> params.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(r.getParams().getParam(e.getKey()))))
                .toList();
    }

    private static int threads(String method) {
        return METHODS.indexOf(method) + 1;
    }

    private static List<String> header(String title, String explanation, String columns, String alignment) {
        return new ArrayList<>(List.of("## " + title, "", explanation, "", columns, alignment));
    }

    private static String row(Object... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (Object cell : cells) {
            sb.append(' ').append(cell).append(" |");
        }
        return sb.toString();
    }

    /** min – max, flagged when the iterations spread so much that the median deserves doubt. */
    static String range(Scores s) {
        return f1(s.min()) + " – " + f1(s.max()) + (s.max() > SPREAD_FLAG * s.min() ? " ⚠" : "");
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }
}
