package io.lpu4j.weights;

/**
 * What {@link Quantizer} must produce, computed the plain way in the test: whole-matrix loops, a group
 * id per element, the FP8 code found by exhaustive search ({@link Fp8ReferenceEncoder}) and decoded
 * from the format's definition, not through the codec under test.
 */
final class QuantizationReference {
    final float[] scales;
    final byte[] codes;
    final float[] values;

    QuantizationReference(float[] x, int rows, int cols, CodeType type, Granularity granularity, int block) {
        int blockCols = granularity == Granularity.BLOCK ? (cols + block - 1) / block : 0;
        int groups = switch (granularity) {
            case TENSOR -> 1;
            case CHANNEL -> rows;
            case BLOCK -> ((rows + block - 1) / block) * blockCols;
        };
        float[] amax = new float[groups];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int g = group(granularity, block, blockCols, r, c);
                amax[g] = Math.max(amax[g], Math.abs(x[r * cols + c]));
            }
        }
        float top = type == CodeType.FP8_E4M3 ? 448f : 127f;
        scales = new float[groups];
        for (int g = 0; g < groups; g++) {
            scales[g] = amax[g] / top;
            if (scales[g] == 0f) {
                scales[g] = 1f;
            }
        }
        Fp8ReferenceEncoder fp8 = new Fp8ReferenceEncoder(Fp8Format.E4M3);
        codes = new byte[x.length];
        values = new float[x.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                float scale = scales[group(granularity, block, blockCols, r, c)];
                float scaled = x[i] / scale;
                if (type == CodeType.FP8_E4M3) {
                    codes[i] = (byte) fp8.encode(scaled);
                    values[i] = (float) Fp8Format.E4M3.exactValue(codes[i] & 0xFF) * scale;
                } else {
                    codes[i] = (byte) Math.max(-127, Math.min(127, Math.rint(scaled)));
                    values[i] = codes[i] * scale;
                }
            }
        }
    }

    private static int group(Granularity granularity, int block, int blockCols, int r, int c) {
        return switch (granularity) {
            case TENSOR -> 0;
            case CHANNEL -> r;
            case BLOCK -> (r / block) * blockCols + c / block;
        };
    }
}
