package io.lpu4j.engine.eval;

import io.lpu4j.engine.MatrixTransform;
import io.lpu4j.engine.plan.WeightFormat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A weight format the accuracy report compares: every {@code --weights} format, plus
 * {@code fp8-channel-mse}, per-channel FP8 whose scales are searched for the least squared error
 * ({@link MseClippedFp8}). Only the {@code --weights} formats have an executor path.
 */
public enum EvalFormat {
    F32(WeightFormat.F32),
    BF16(WeightFormat.BF16),
    FP8_TENSOR(WeightFormat.FP8_TENSOR),
    FP8_CHANNEL(WeightFormat.FP8_CHANNEL),
    FP8_CHANNEL_MSE(null),
    FP8_BLOCK(WeightFormat.FP8_BLOCK),
    INT8(WeightFormat.INT8);

    private final WeightFormat weightFormat;

    EvalFormat(WeightFormat weightFormat) {
        this.weightFormat = weightFormat;
    }

    /** The spelling in {@code --formats} and in the report. */
    public String flag() {
        return this == FP8_CHANNEL_MSE ? "fp8-channel-mse" : weightFormat.flag();
    }

    /** The format the static executor runs for this row, if it has one. */
    public Optional<WeightFormat> weightFormat() {
        return Optional.ofNullable(weightFormat);
    }

    /** Weights as this format stores them, dequantized to float: what the reference runs with. */
    public MatrixTransform transform(int blockSize) {
        return this == FP8_CHANNEL_MSE ? MseClippedFp8::quantizeDequantize : FormatTransforms.of(weightFormat, blockSize);
    }

    /** Parses a {@code --formats} entry; {@code fp8} means the default FP8 format, as for {@code --weights}. */
    public static Optional<EvalFormat> parse(String flag) {
        String f = flag.trim().toLowerCase(Locale.ROOT);
        if (f.equals("fp8")) {
            f = WeightFormat.FP8_DEFAULT.flag();
        }
        String wanted = f;
        return Arrays.stream(values()).filter(e -> e.flag().equals(wanted)).findFirst();
    }

    public static String choices() {
        return Arrays.stream(values()).map(EvalFormat::flag).collect(Collectors.joining(", "));
    }
}
