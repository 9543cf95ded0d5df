package io.lpu4j.bench.synth;

import io.lpu4j.engine.Directories;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a synthetic Hugging Face model directory: config.json, generation_config.json, the weights
 * (one file or shards with an index) and, if asked, a tokenizer. Everything is written into a
 * hidden directory beside the target and renamed into place at the end, so a run that fails or is
 * interrupted never leaves a half-written model where a model is expected.
 */
public final class SynthWriter {
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json");
    /** What transformers writes into each safetensors header. */
    private static final Map<String, String> SAFETENSORS_METADATA = Map.of("format", "pt");

    private SynthWriter() {
    }

    /** What was written. */
    public record Result(Path directory, long weightBytes, int weightFiles) {
    }

    /**
     * Writes the model directory {@code request.out()}, reporting progress line by line to {@code log}.
     *
     * @throws SynthException if the target is in the way, the tokenizer is missing or the disk too small
     */
    public static Result write(SynthRequest request, Consumer<String> log) {
        long start = System.nanoTime();
        Path out = request.out().toAbsolutePath().normalize();
        Path parent = out.getParent();
        if (parent == null) {
            throw new SynthException("cannot write a model directory at " + out);
        }
        checkTarget(out, request.force());
        if (request.tokenizer() instanceof TokenizerSource.CopyFrom(Path dir)) {
            checkTokenizer(dir);
        }
        List<WeightSpec> tensors = ModelWeights.of(request.preset());
        ShardPlan plan = ShardPlan.split(tensors, request.dtype(), request.maxFileBytes());
        long parameters = tensors.stream().mapToLong(WeightSpec::elementCount).sum();
        createDirectories(parent);
        checkSpace(parent, plan.dataBytes());

        log.accept(String.format("lpu synth: %s (%s), %,d parameters, %s, seed %d: %s in %d file(s) -> %s",
                request.preset().name(), request.preset().origin(), parameters, request.dtype(), request.seed(),
                Progress.size(plan.dataBytes()), plan.shards().size(), out));
        if (request.tokenizer() instanceof TokenizerSource.None(String reason)) {
            log.accept("lpu synth: no tokenizer written: " + reason);
        }
        Path staging = createStaging(parent, out.getFileName().toString());
        try {
            HfConfig.write(staging, request.preset(), request.dtype());
            if (request.tokenizer() instanceof TokenizerSource.CopyFrom(Path dir)) {
                for (String file : TOKENIZER_FILES) {
                    // Copy the bytes, not the file: the shared originals are read-only.
                    Files.write(staging.resolve(file), Files.readAllBytes(dir.resolve(file)));
                }
            }
            writeWeights(staging, plan, request, log);
            install(staging, out);
        } catch (IOException e) {
            Directories.deleteQuietly(staging);
            throw new UncheckedIOException("cannot write " + out, e);
        } catch (RuntimeException | Error e) {
            Directories.deleteQuietly(staging);
            throw e;
        }
        log.accept(String.format("lpu synth: done in %.1f s", (System.nanoTime() - start) / 1e9));
        return new Result(out, plan.dataBytes(), plan.shards().size());
    }

    private static void writeWeights(Path dir, ShardPlan plan, SynthRequest request, Consumer<String> log) {
        try (TensorFiller filler = new TensorFiller(request.threads())) {
            for (ShardPlan.Shard shard : plan.shards()) {
                Progress progress = new Progress(shard.fileName(), shard.dataBytes(), log);
                List<SafetensorsWriter.Entry> entries = shard.tensors().stream()
                        .map(spec -> new SafetensorsWriter.Entry(spec.name(), request.dtype(), spec.shape(),
                                segment -> filler.fill(spec, request.seed(), request.dtype(), segment, progress::add)))
                        .toList();
                SafetensorsWriter.write(dir.resolve(shard.fileName()), entries, SAFETENSORS_METADATA);
                progress.done();
            }
        }
        if (plan.sharded()) {
            HfJson.write(dir.resolve(Checkpoint.INDEX_FILE), plan.index());
        }
    }

    /** The target must not exist, be an empty directory, or (with force) be a model directory. */
    private static void checkTarget(Path out, boolean force) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new SynthException(out + " exists and is not a directory");
        }
        if (isEmpty(out)) {
            return;
        }
        if (!force) {
            throw new SynthException(out + " is not empty (pass --force to replace the model in it)");
        }
        if (!Files.isRegularFile(out.resolve(HfConfig.CONFIG_FILE))) {
            throw new SynthException(out + " is not empty and holds no " + HfConfig.CONFIG_FILE
                    + "; --force replaces a model directory, nothing else");
        }
    }

    private static void checkTokenizer(Path dir) {
        for (String file : TOKENIZER_FILES) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new SynthException("no tokenizer at " + dir + ": " + file + " is missing");
            }
        }
    }

    private static void checkSpace(Path dir, long bytes) {
        try {
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (usable < bytes) {
                throw new SynthException("the model needs " + Progress.size(bytes) + " but " + dir
                        + " has only " + Progress.size(usable) + " free");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + dir, e);
        }
    }

    /** Moves the finished directory into place; a replaced model is set aside first and removed last. */
    private static void install(Path staging, Path out) throws IOException {
        if (!Files.exists(out)) {
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        } else if (isEmpty(out)) {
            Files.delete(out);
            Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Path old = out.resolveSibling("." + out.getFileName() + ".replaced-" + ProcessHandle.current().pid());
            Files.move(out, old, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(staging, out, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(old, out, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
            Directories.deleteQuietly(old);
        }
    }

    /**
     * A new hidden directory beside the target. Created with createDirectory, not as a temp directory,
     * so it gets the user's usual permissions rather than owner-only ones.
     */
    private static Path createStaging(Path parent, String name) {
        Path staging = parent.resolve("." + name + ".synth-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            return Files.createDirectory(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + staging, e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Deletes a directory this writer created, without following links out of it. */
}
