package io.lpu4j.engine.bert;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErfTest {
    /**
     * {x, erf(x), erfc(x)} printed by CPython 3 with {@code repr(math.erf(x))} and
     * {@code repr(math.erfc(x))}: an implementation independent of ours (the platform libm). The
     * points cover the series (|x| &lt; 2), the hand-over at 2, the continued fraction, negative
     * arguments, and x = 3.9, 6 where erf rounds to 1 in float and in double.
     */
    private static final double[][] PYTHON_MATH = {
            {0.0, 0.0, 1.0},
            {1e-10, 1.1283791670955126e-10, 0.999999999887162},
            {0.001, 0.0011283787909692365, 0.9988716212090307},
            {0.1, 0.1124629160182849, 0.8875370839817152},
            {-0.25, -0.2763263901682369, 1.276326390168237},
            {0.5, 0.5204998778130465, 0.4795001221869535},
            {0.84375, 0.7672256612323416, 0.23277433876765835},
            {-1.0, -0.8427007929497149, 1.842700792949715},
            {1.5, 0.9661051464753108, 0.033894853524689274},
            {1.999, 0.9953015566513705, 0.004698443348629488},
            {2.0, 0.9953222650189527, 0.004677734981047265},
            {-2.5, -0.999593047982555, 1.999593047982555},
            {3.0, 0.9999779095030014, 2.2090496998585438e-05},
            {3.9, 0.9999999652077514, 3.479224859723177e-08},
            {-4.0, -0.9999999845827421, 1.999999984582742},
            {5.0, 0.9999999999984626, 1.5374597944280351e-12},
            {6.0, 1.0, 2.1519736712498916e-17},
            {10.0, 1.0, 2.088487583762545e-45},
            {26.0, 1.0, 5.663192408856143e-296},
    };

    @Test
    void matchesPythonMathToFarBeyondFloatPrecision() {
        for (double[] row : PYTHON_MATH) {
            double x = row[0];
            assertEquals(row[1], Erf.erf(x), 2e-15 * Math.abs(row[1]), "erf(" + x + ")");
            assertEquals(row[2], Erf.erfc(x), 2e-13 * row[2], "erfc(" + x + ")");
            assertEquals((float) row[1], (float) Erf.erf(x), "erf(" + x + ") rounded to float");
        }
    }

    @Test
    void isOddAndComplementary() {
        for (double x = -7; x <= 7; x += 0.01) {
            assertEquals(-Erf.erf(x), Erf.erf(-x), "erf(-" + x + ")");
            assertEquals(1.0, Erf.erf(x) + Erf.erfc(x), 1e-15, "erf + erfc at " + x);
        }
    }

    @Test
    void limitsAndNaN() {
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, Erf.erfc(Double.NEGATIVE_INFINITY));
        assertEquals(Double.NaN, Erf.erf(Double.NaN));
        assertEquals(Double.NaN, Erf.erfc(Double.NaN));
    }

    /** x·Φ(x) from CPython: {@code 0.5 * x * math.erfc(-x / math.sqrt(2))}, rounded to float. */
    @Test
    void geluIsTheExactErfForm() {
        double[][] pythonGelu = {
                {0.0, 0.0},
                {1.0, 0.8413447460685429},
                {-1.0, -0.15865525393145707},
                {0.5, 0.34573123063700656},
                {-3.0, -0.004049694094890287},
                {-10.0, -7.619853024160593e-23},
                {8.0, 7.999999999999995},
        };
        for (double[] row : pythonGelu) {
            assertEquals((float) row[1], BertModel.gelu((float) row[0]), "gelu(" + row[0] + ")");
        }
    }
}
