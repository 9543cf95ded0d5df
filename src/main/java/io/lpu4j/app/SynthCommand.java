package io.lpu4j.app;

import io.lpu4j.bench.synth.SynthPreset;
import io.lpu4j.bench.synth.SynthRequest;
import io.lpu4j.bench.synth.SynthWriter;
import io.lpu4j.bench.synth.TokenizerSource;
import io.lpu4j.weights.DType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lpu synth}: a model directory with a real architecture and seeded random weights. */
@Command(name = "synth",
        mixinStandardHelpOptions = true,
        description = {
                "Writes a Hugging Face model directory with a real model's architecture and seeded random "
                        + "weights, for speed work on models we do not have.",
                "The same preset, dtype and seed always give the same bytes."})
final class SynthCommand implements Callable<Integer> {
    /** The one vocabulary size lpu4j's shared data has a tokenizer for (Llama 2's). */
    static final int LLAMA2_VOCAB = 32000;
    private static final Map<String, DType> DTYPES = Map.of("bf16", DType.BF16, "f16", DType.F16, "f32", DType.F32);

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME", converter = PresetConverter.class,
            completionCandidates = PresetNames.class, description = "the architecture: ${COMPLETION-CANDIDATES}")
    SynthPreset preset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the model directory to create")
    Path out;

    @Option(names = "--dtype", defaultValue = "bf16", paramLabel = "TYPE", converter = DTypeConverter.class,
            description = "bf16, f16 or f32 (default: ${DEFAULT-VALUE})")
    DType dtype;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "the weights are a function of the seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-file-mb", defaultValue = "2048", paramLabel = "N",
            description = "shard the weights into files of at most N MB of tensor data (default: ${DEFAULT-VALUE})")
    long maxFileMb;

    @Option(names = "--layers", paramLabel = "N", description = "override the number of decoder layers")
    Integer layers;

    @Option(names = "--vocab", paramLabel = "N",
            description = "override the vocabulary size (special token ids that no longer fit are dropped)")
    Integer vocab;

    @Option(names = "--threads", paramLabel = "N", description = "threads drawing weights (default: all cores)")
    Integer threads;

    @Option(names = "--tokenizer-from", paramLabel = "DIR",
            description = "copy tokenizer.json and tokenizer_config.json from DIR (default for a 32000-token "
                    + "vocabulary: the shared Llama 2 tokenizer)")
    Path tokenizerFrom;

    @Option(names = "--force", description = "replace DIR if it already holds a model")
    boolean force;

    @Override
    public Integer call() {
        SynthPreset shape = preset;
        if (layers != null) {
            shape = shape.withLayers(positive("--layers", layers));
        }
        if (vocab != null) {
            shape = shape.withVocab(positive("--vocab", vocab));
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : positive("--threads", threads);
        long maxFileBytes = Math.multiplyExact(positive("--max-file-mb", maxFileMb), 1L << 20);

        PrintWriter err = spec.commandLine().getErr();
        SynthRequest request = new SynthRequest(shape, dtype, seed, maxFileBytes, workers, tokenizer(shape), out, force);
        SynthWriter.Result result = SynthWriter.write(request, line -> {
            err.println(line);
            err.flush();
        });
        spec.commandLine().getOut().println(result.directory());
        return 0;
    }

    /** The tokenizer to copy: the one asked for, else the shared Llama 2 one where the vocabulary is its. */
    private TokenizerSource tokenizer(SynthPreset shape) {
        if (tokenizerFrom != null) {
            return new TokenizerSource.CopyFrom(tokenizerFrom);
        }
        int vocabSize = shape.dims().vocab();
        if (vocabSize != LLAMA2_VOCAB) {
            return new TokenizerSource.None("lpu4j has none for a " + vocabSize + "-token vocabulary; "
                    + "feed token ids directly");
        }
        Path shared = SharedDir.root().resolve("tokenizers").resolve("llama2");
        if (!Files.isDirectory(shared)) {
            return new TokenizerSource.None("the shared Llama 2 tokenizer is missing at " + shared
                    + " (pass --tokenizer-from DIR)");
        }
        return new TokenizerSource.CopyFrom(shared);
    }

    private static <N extends Number> N positive(String option, N value) {
        if (value.longValue() <= 0) {
            throw new UserError(option + " must be positive, got " + value);
        }
        return value;
    }

    static final class PresetNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SynthPreset.names().iterator();
        }
    }

    static final class PresetConverter implements CommandLine.ITypeConverter<SynthPreset> {
        @Override
        public SynthPreset convert(String name) {
            return SynthPreset.find(name).orElseThrow(() -> new CommandLine.TypeConversionException(
                    "unknown preset '" + name + "' (expected one of " + String.join(", ", SynthPreset.names()) + ")"));
        }
    }

    static final class DTypeConverter implements CommandLine.ITypeConverter<DType> {
        @Override
        public DType convert(String name) {
            DType type = DTYPES.get(name);
            if (type == null) {
                throw new CommandLine.TypeConversionException("expected bf16, f16 or f32, got '" + name + "'");
            }
            return type;
        }
    }
}
