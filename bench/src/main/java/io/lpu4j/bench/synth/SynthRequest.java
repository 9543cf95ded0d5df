package io.lpu4j.bench.synth;

import io.lpu4j.weights.DType;

import java.nio.file.Path;

/**
 * What to synthesize and where.
 *
 * @param preset       the architecture (possibly with fewer layers or another vocabulary)
 * @param dtype        F32, F16 or BF16
 * @param seed         the weights are a function of the seed alone (not of threads or sharding)
 * @param maxFileBytes largest tensor data per safetensors file before the checkpoint is sharded
 * @param threads      worker threads drawing values
 * @param tokenizer    where the tokenizer comes from, or why there is none
 * @param out          the model directory to create
 * @param force        replace {@code out} if it is an existing model directory
 */
public record SynthRequest(SynthPreset preset, DType dtype, long seed, long maxFileBytes, int threads,
                           TokenizerSource tokenizer, Path out, boolean force) {
    public static final long DEFAULT_MAX_FILE_BYTES = 2048L << 20;

    public SynthRequest {
        if (dtype != DType.F32 && dtype != DType.F16 && dtype != DType.BF16) {
            throw new IllegalArgumentException("synthetic weights are F32, F16 or BF16, not " + dtype);
        }
        if (maxFileBytes <= 0 || threads <= 0) {
            throw new IllegalArgumentException("maxFileBytes and threads must be positive");
        }
    }
}
