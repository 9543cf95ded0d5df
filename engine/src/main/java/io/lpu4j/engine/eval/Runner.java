package io.lpu4j.engine.eval;

/** What produced a row of the report. */
public enum Runner {
    /** lpu4j's scalar FP32 reference, weights in the row's format: measures the format alone. */
    REFERENCE,
    /** lpu4j's static executor: the format as the engine really runs it (FP16 activations, BF16 embeddings). */
    EXECUTOR,
    /** onnxruntime's own outputs (golden files), for comparison with a real-world runtime. */
    ONNXRUNTIME
}
