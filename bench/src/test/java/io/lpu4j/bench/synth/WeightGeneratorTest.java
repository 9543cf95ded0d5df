package io.lpu4j.bench.synth;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The counter-based generator: Gaussian, independent of how the work is split, keyed by seed and name. */
class WeightGeneratorTest {

    @Test
    void normalsHaveGaussianMomentsAndTails() {
        int n = 1 << 20;
        float[] z = new float[n];
        WeightGenerator.normals(42, 0, z, n);
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        int beyondTwo = 0;
        double max = 0;
        for (float v : z) {
            sum += v;
            squares += v * v;
            fourth += (double) v * v * v * v;
            beyondTwo += Math.abs(v) > 2 ? 1 : 0;
            max = Math.max(max, Math.abs(v));
        }
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        assertEquals(0, mean, 0.005, "mean");
        assertEquals(1, variance, 0.01, "variance");
        assertEquals(3, fourth / n, 0.05, "kurtosis (3 for a normal; 1.8 for uniform sums of 4)");
        assertEquals(0.0455, beyondTwo / (double) n, 0.002, "P(|z| > 2)");
        assertTrue(max > 4.5, "a million normals reach past 4.5 sigma, got " + max);
    }

    @Test
    void anySplitOfATensorGivesTheSameValues() {
        WeightSpec spec = new WeightSpec("w", new long[] {37, 29}, Distribution.linear(29));
        WeightGenerator generator = new WeightGenerator(7, spec);
        int n = 37 * 29;
        float[] whole = new float[n];
        generator.values(0, whole, n);

        float[] pieces = new float[n];
        int[] cuts = {0, 1, 4, 29, 30, 333, 334, 700, n};
        for (int c = 0; c + 1 < cuts.length; c++) {
            float[] piece = new float[cuts[c + 1] - cuts[c]];
            generator.values(cuts[c], piece, piece.length);
            System.arraycopy(piece, 0, pieces, cuts[c], piece.length);
        }
        assertArrayEquals(whole, pieces);
    }

    @Test
    void valuesDependOnSeedAndName() {
        long[] shape = {64, 64};
        float[] a = draw(new WeightGenerator(1, new WeightSpec("a", shape, Distribution.embedding())), 4096);
        float[] again = draw(new WeightGenerator(1, new WeightSpec("a", shape, Distribution.embedding())), 4096);
        float[] otherSeed = draw(new WeightGenerator(2, new WeightSpec("a", shape, Distribution.embedding())), 4096);
        float[] otherName = draw(new WeightGenerator(1, new WeightSpec("b", shape, Distribution.embedding())), 4096);
        assertArrayEquals(a, again);
        assertFalse(Arrays.equals(a, otherSeed));
        assertFalse(Arrays.equals(a, otherName));
    }

    @Test
    void linearRowsHaveTheirOwnScaleAroundOneOverSqrtFanIn() {
        int rows = 512;
        int cols = 1024;
        float[] w = draw(new WeightGenerator(3, new WeightSpec("w", new long[] {rows, cols}, Distribution.linear(cols))),
                rows * cols);
        double[] logRowStd = new double[rows];
        double squares = 0;
        for (int r = 0; r < rows; r++) {
            double rowSquares = 0;
            for (int c = 0; c < cols; c++) {
                rowSquares += (double) w[r * cols + c] * w[r * cols + c];
            }
            squares += rowSquares;
            logRowStd[r] = 0.5 * Math.log(rowSquares / cols);
        }
        double meanLog = Arrays.stream(logRowStd).average().orElseThrow();
        double spread = Math.sqrt(Arrays.stream(logRowStd).map(v -> (v - meanLog) * (v - meanLog)).sum() / rows);
        assertEquals(Math.log(1 / Math.sqrt(cols)), meanLog, 0.03, "typical row std is 1/sqrt(fan_in)");
        assertEquals(Distribution.LINEAR_ROW_SPREAD, spread, 0.03, "rows differ in scale by the row spread");
        double overallStd = Math.sqrt(squares / ((double) rows * cols));
        assertEquals(Math.exp(2 * 0.2 * 0.2 / 2) / Math.sqrt(cols), overallStd, 0.03 / Math.sqrt(cols),
                "overall std is 1/sqrt(fan_in) times the log-normal's E[s^2]^(1/2)");
    }

    @Test
    void normWeightsSitNearOne() {
        float[] norm = draw(new WeightGenerator(5, new WeightSpec("n", new long[] {4096}, Distribution.norm())), 4096);
        double mean = 0;
        for (float v : norm) {
            mean += v / 4096.0;
            assertTrue(v > 0.6 && v < 1.4, "norm weight " + v);
        }
        assertEquals(1, mean, 0.01);
    }

    private static float[] draw(WeightGenerator generator, int n) {
        float[] values = new float[n];
        generator.values(0, values, n);
        return values;
    }
}
