package io.lpu4j.app;

import io.lpu4j.engine.quantize.Fp8CheckpointWriter;
import io.lpu4j.weights.Granularity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lpu quantize}: writes an FP8 checkpoint that loads bit-identically to quantizing on the fly. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Write a copy of a model whose linear layers are FP8 E4M3 with scales.",
                "tensor/channel use the weight_scale convention (compressed-tensors), block the "
                        + "weight_scale_inv convention with weight_block_size (DeepSeek-V3); config.json gains a "
                        + "quantization_config naming it. Loading the result gives the same bits as quantizing at load time."})
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Source model directory.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to create (must not exist, or be empty).")
    Path out;

    @Option(names = "--granularity", description = "tensor, channel (default) or block.")
    String granularity = "channel";

    @Option(names = "--block-size", paramLabel = "N", description = "Block edge for --granularity block (default: 128).")
    int blockSize = 128;

    @Override
    public Integer call() throws IOException {
        Granularity g = switch (granularity) {
            case "tensor" -> Granularity.TENSOR;
            case "channel" -> Granularity.CHANNEL;
            case "block" -> Granularity.BLOCK;
            default -> throw new UserError("--granularity: unknown value '" + granularity + "' (expected tensor, channel or block)");
        };
        if (blockSize < 64 || blockSize % 64 != 0) {
            throw new UserError("--block-size must be a positive multiple of 64, got " + blockSize);
        }
        if (!Files.isDirectory(model)) {
            throw new UserError("--model: " + model + " is not a directory");
        }
        if (Files.exists(out) && (!Files.isDirectory(out) || hasEntries(out))) {
            throw new UserError("--out: " + out + " already exists and is not an empty directory");
        }
        long start = System.nanoTime();
        Fp8CheckpointWriter.write(model, out, g, blockSize);
        System.err.printf("lpu: wrote %s (FP8 E4M3, %s scales) in %.1f s%n", out, granularity, (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }
}
