package io.lpu4j.bench;

import io.lpu4j.bench.kernel.Forks;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.lpu4j.tokenizer.Tokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Encoding throughput of lpu4j against HF's own tokenizers (Rust, through DJL's JNI binding) on the
 * same text: the shared stories text repeated, and a mixed-script text (code, numbers, accents, CJK,
 * emoji). One call encodes the whole text without special tokens. {@link #main} prints MB/s (UTF-8
 * input bytes) from the median iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {Forks.NATIVE_ACCESS, "-Dai.djl.offline=true"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenizerBenchmark {
    /** About 100 KB of input per call: long enough that per-call overhead does not dominate. */
    private static final int TARGET_CHARS = 100_000;

    @Param({"tokenizers/llama2", "tokenizers/gpt2", "models/all-MiniLM-L6-v2"})
    public String tokenizer;

    @Param({"stories", "mixed"})
    public String text;

    private Tokenizer lpu4j;
    private HuggingFaceTokenizer djl;
    private String input;

    @Setup
    public void setup() throws IOException {
        Path json = shared().resolve(tokenizer).resolve("tokenizer.json");
        lpu4j = Tokenizer.fromFile(json).withoutTruncationAndPadding();
        djl = HuggingFaceTokenizer.builder().optTokenizerPath(json).optAddSpecialTokens(false)
                .optTruncation(false).optPadding(false).build();
        input = input(text);
        if (lpu4j.encode(input, false).length != djl.encode(input, false, false).getIds().length) {
            throw new IllegalStateException("lpu4j and HF disagree on the benchmark text for " + tokenizer);
        }
    }

    @TearDown
    public void close() {
        djl.close();
    }

    @Benchmark
    public int lpu4j() {
        return lpu4j.encode(input, false).length;
    }

    @Benchmark
    public int djl() {
        return djl.encode(input, false, false).getIds().length;
    }

    static Path shared() {
        return Path.of(System.getProperty("lpu4j.shared", "../shared"));
    }

    static String input(String kind) {
        try {
            String base = kind.equals("stories") ? Files.readString(shared().resolve("text/stories_eval.txt"))
                    : mixedText(new Random(42));
            return base.repeat(Math.max(1, TARGET_CHARS / base.length()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mixedText(Random random) {
        String[] parts = {"The quick brown fox jumps over the lazy dog.", "def f(x):\n    return x ** 2\n",
            "Prices: $1,234.56, €99, 3.14159, 100%", "café naïve Ångström résumé Zürich", "Tiếng Việt",
            "日本語のテキスト", "中文字符和标点。", "한국어 문장", "Русский язык", "العربية", "👍🏽 👨\u200D👩\u200D👧 🇫🇷 ✨",
            "    indented\n\t\ttabs", "x->y = z; a && b || !c", "e\u0301 a\u0308", "<s> [CLS] <|endoftext|>"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 10_000) {
            sb.append(parts[random.nextInt(parts.length)]).append(random.nextInt(4) == 0 ? "\n" : " ");
        }
        return sb.toString();
    }

    /** Runs the benchmark and prints, per tokenizer and text, the median MB/s of lpu4j and HF. */
    public static void main(String[] args) throws RunnerException {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(TokenizerBenchmark.class.getName())
                // These replace the @Fork arguments, so they repeat them.
                .jvmArgsAppend(Forks.NATIVE_ACCESS, "-Dai.djl.offline=true",
                        "-Dlpu4j.shared=" + shared().toAbsolutePath(),
                        "-DDJL_CACHE_DIR=" + Path.of("bench/target/djl-cache").toAbsolutePath())
                .build()).run();
        System.out.printf("%nMachine: %s%nMB/s of UTF-8 input, median of the measured iterations%n",
                io.lpu4j.bench.endtoend.MachineInfo.here().line());
        System.out.printf("%-26s %-8s %-6s %10s%n", "tokenizer", "text", "impl", "MB/s");
        for (RunResult r : results) {
            String kind = r.getParams().getParam("text");
            double mb = input(kind).getBytes(StandardCharsets.UTF_8).length / 1e6;
            double medianOps = r.getPrimaryResult().getStatistics().getPercentile(50);
            String impl = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            System.out.printf("%-26s %-8s %-6s %10.2f%n", r.getParams().getParam("tokenizer"), kind, impl,
                    medianOps * mb);
        }
    }
}
