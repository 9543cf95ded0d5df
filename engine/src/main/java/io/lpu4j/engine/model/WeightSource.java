package io.lpu4j.engine.model;

import io.lpu4j.engine.InvalidModelException;
import io.lpu4j.weights.Checkpoint;
import io.lpu4j.weights.DType;
import io.lpu4j.weights.Fp8CheckpointTensors;
import io.lpu4j.weights.QuantizedTensor;
import io.lpu4j.weights.TensorView;

import java.util.Arrays;
import java.util.Optional;

/**
 * A checkpoint's tensors as the engine reads them: as floats (F32, F16 and BF16 exactly; FP8
 * weights dequantized with their scales, code × scale in float32), or, for a weight the checkpoint
 * already stores in FP8, as its codes and scales untouched.
 */
public final class WeightSource {
    private final Checkpoint checkpoint;
    private final CheckpointQuantization quantization;

    public WeightSource(Checkpoint checkpoint, ModelConfig config) {
        this.checkpoint = checkpoint;
        this.quantization = config.quantization();
    }

    /**
     * The named tensor after checking its shape (rows = 1 also accepts a 1-D tensor of cols) and that
     * it holds floating-point values.
     */
    public TensorView tensor(String name, int rows, int cols) {
        TensorView t = checkpoint.tensor(name);
        long[] expected = rows == 1 && t.rank() == 1 ? new long[] {cols} : new long[] {rows, cols};
        if (!Arrays.equals(t.shape(), expected)) {
            throw new InvalidModelException(t.file() + ": tensor '" + name + "' has shape "
                    + Arrays.toString(t.shape()) + ", but config.json implies " + Arrays.toString(expected));
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new InvalidModelException(t.file() + ": tensor '" + name + "' has dtype " + t.dtype()
                    + ", expected a floating-point type");
        }
        if (t.dtype() == DType.F8_E4M3 && !quantization.isQuantized()) {
            throw new InvalidModelException(t.file() + ": tensor '" + name
                    + "' is F8_E4M3, but config.json has no quantization_config to say where its scales are");
        }
        return t;
    }

    /** The weight's codes and scales if the checkpoint stores it in FP8 (validated: no NaN codes). */
    public Optional<QuantizedTensor> fp8(TensorView tensor) {
        if (tensor.dtype() != DType.F8_E4M3) {
            return Optional.empty();
        }
        QuantizedTensor q = Fp8CheckpointTensors.read(checkpoint, tensor.name(), quantization.convention(),
                Math.max(1, quantization.blockSize()));
        long bytes = q.codes().byteSize();
        for (long i = 0; i < bytes; i++) {
            if ((q.codes().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) & 0x7F) == 0x7F) {
                throw new InvalidModelException(tensor.file() + ": tensor '" + tensor.name() + "' holds the E4M3 NaN code at element "
                        + i + "; weights must be finite");
            }
        }
        return Optional.of(q);
    }

    /** All values as floats, row-major (for tensors under 2^31 elements: the reference and BERT). */
    public float[] floats(TensorView tensor) {
        Optional<QuantizedTensor> q = fp8(tensor);
        return q.isPresent() ? q.get().dequantize() : tensor.toFloatArray();
    }
}
