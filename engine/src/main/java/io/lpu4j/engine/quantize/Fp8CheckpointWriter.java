package io.lpu4j.engine.quantize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lpu4j.engine.Directories;
import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.engine.model.ModelConfig;
import io.lpu4j.engine.model.TensorNames;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.CodeType;
import io.lpu4j.weights.DType;
import io.lpu4j.weights.Fp8CheckpointTensors;
import io.lpu4j.weights.Fp8ScaleConvention;
import io.lpu4j.weights.Granularity;
import io.lpu4j.weights.QuantizedTensor;
import io.lpu4j.weights.Quantizer;
import io.lpu4j.weights.SafetensorsWriter;
import io.lpu4j.weights.TensorView;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a model directory whose linear layers are FP8 E4M3 with their scales, in the conventions real
 * FP8 checkpoints use: {@code weight_scale} (compressed-tensors, per tensor or per channel) or
 * {@code weight_scale_inv} with {@code weight_block_size} (DeepSeek-V3 style blocks). Everything else
 * is copied as it is. The codes and scales are exactly what lpu4j's quantizer makes on the fly, so
 * loading the written checkpoint gives bit-identical results to quantizing at load time.
 */
public final class Fp8CheckpointWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COPIED_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json", "special_tokens_map.json");

    private Fp8CheckpointWriter() {
    }

    /**
     * Quantizes {@code modelDir} into {@code outDir} (which must not exist or be empty). The result is
     * assembled in a sibling directory and renamed into place, so a failure leaves nothing behind.
     */
    public static void write(Path modelDir, Path outDir, Granularity granularity, int blockSize) {
        ModelConfig config = ModelConfig.load(modelDir);
        if (config.quantization().isQuantized()) {
            throw new InvalidModelException(modelDir.resolve("config.json") + ": the checkpoint is already quantized ("
                    + config.quantization().method() + ")");
        }
        Path staging = outDir.toAbsolutePath().resolveSibling(outDir.getFileName() + ".partial");
        try {
            Directories.delete(staging);
            Files.createDirectories(staging);
            try (Checkpoint checkpoint = Checkpoint.open(modelDir)) {
                SafetensorsWriter.write(staging.resolve(Checkpoint.SINGLE_FILE),
                        entries(checkpoint, linearWeights(config), granularity, blockSize), Map.of("format", "pt"));
            }
            writeConfig(modelDir.resolve("config.json"), staging.resolve("config.json"), granularity, blockSize);
            for (String name : COPIED_FILES) {
                if (Files.isRegularFile(modelDir.resolve(name))) {
                    Files.copy(modelDir.resolve(name), staging.resolve(name));
                }
            }
            if (Files.isDirectory(outDir)) {
                Files.delete(outDir);
            }
            Files.move(staging, outDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + outDir, e);
        } finally {
            try {
                Directories.delete(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + staging, e);
            }
        }
    }

    /** The q, k, v, o, gate, up and down weights of every layer. */
    static Set<String> linearWeights(ModelConfig c) {
        Set<String> names = new HashSet<>();
        for (int l = 0; l < c.numLayers(); l++) {
            for (String p : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                names.add(TensorNames.attention(l, p, "weight"));
            }
            for (String p : List.of("gate_proj", "up_proj", "down_proj")) {
                names.add(TensorNames.mlp(l, p));
            }
        }
        return names;
    }

    /**
     * Each linear weight becomes two entries (codes, then scales) that share one quantization, made
     * when the codes are written and dropped after the scales: one tensor in memory at a time.
     */
    private static List<SafetensorsWriter.Entry> entries(Checkpoint checkpoint, Set<String> linear,
                                                          Granularity granularity, int blockSize) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (TensorView tensor : checkpoint.tensors().values()) {
            if (!linear.contains(tensor.name())) {
                entries.add(SafetensorsWriter.Entry.copyOf(tensor.name(), tensor));
                continue;
            }
            QuantizedLater later = new QuantizedLater(tensor, granularity, blockSize);
            int rows = tensor.dim(0);
            int cols = tensor.dim(1);
            entries.add(new SafetensorsWriter.Entry(tensor.name(), DType.F8_E4M3, new long[] {rows, cols},
                    dst -> dst.copyFrom(later.get().codes())));
            // QuantizedTensor scales already are little-endian float32, the safetensors F32 layout.
            entries.add(new SafetensorsWriter.Entry(Fp8ScaleConvention.of(granularity).scaleName(tensor.name()),
                    DType.F32, Fp8CheckpointTensors.scaleShape(granularity, rows, cols, blockSize), dst -> {
                        dst.copyFrom(later.get().scales());
                        later.release();
                    }));
        }
        return entries;
    }

    /** One tensor's quantization, made on first use and released after its scales are written. */
    private static final class QuantizedLater {
        private final TensorView tensor;
        private final Granularity granularity;
        private final int blockSize;
        private Arena arena;
        private QuantizedTensor quantized;

        QuantizedLater(TensorView tensor, Granularity granularity, int blockSize) {
            this.tensor = tensor;
            this.granularity = granularity;
            this.blockSize = blockSize;
        }

        QuantizedTensor get() {
            if (quantized == null) {
                arena = Arena.ofShared(); // not confined: see WeightStore.fill
                quantized = Quantizer.quantize(tensor, CodeType.FP8_E4M3, granularity, blockSize, arena);
            }
            return quantized;
        }

        void release() {
            arena.close();
            quantized = null;
        }
    }

    private static void writeConfig(Path source, Path target, Granularity granularity, int blockSize) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(source.toFile());
        ObjectNode q = JSON.createObjectNode();
        if (granularity == Granularity.BLOCK) {
            q.put("quant_method", "fp8");
            q.put("fmt", "e4m3");
            q.put("activation_scheme", "dynamic");
            ArrayNode size = q.putArray("weight_block_size");
            size.add(blockSize).add(blockSize);
            q.put("weight_scale_convention", "weight_scale_inv");
        } else {
            q.put("quant_method", "compressed-tensors");
            q.put("format", "float-quantized");
            q.put("quantization_status", "compressed");
            ObjectNode weights = q.putObject("config_groups").putObject("group_0");
            weights.putArray("targets").add("Linear");
            ObjectNode w = weights.putObject("weights");
            w.put("num_bits", 8);
            w.put("type", "float");
            w.put("strategy", granularity == Granularity.TENSOR ? "tensor" : "channel");
            w.put("symmetric", true);
            w.put("dynamic", false);
            q.putArray("ignore").add("lm_head");
            q.put("weight_scale_convention", "weight_scale");
        }
        q.put("producer", "lpu4j");
        config.set("quantization_config", q);
        JSON.writerWithDefaultPrettyPrinter().writeValue(target.toFile(), config);
    }
}
