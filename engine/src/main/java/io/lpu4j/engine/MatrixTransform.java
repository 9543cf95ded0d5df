package io.lpu4j.engine;

/** A hook applied to every linear layer's weight matrix as it is loaded: lets the accuracy report run the FP32 reference with quantized-then-dequantized weights. */
@FunctionalInterface
public interface MatrixTransform {
    MatrixTransform IDENTITY = (name, values, rows, cols) -> values;

    /** Returns the weight to use for tensor {@code name}: {@code values} is row-major [rows × cols] (rows = output features). */
    float[] apply(String name, float[] values, int rows, int cols);
}
