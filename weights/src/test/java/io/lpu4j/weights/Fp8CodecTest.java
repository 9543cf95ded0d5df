package io.lpu4j.weights;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both OCP FP8 codecs, exhaustively over their 256 codes and every rounding boundary. */
class Fp8CodecTest {

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void decodesEveryCodeToItsDefinedValue(Fp8Format f) {
        for (int c = 0; c < 256; c++) {
            int code = c;
            float decoded = f.decode(code);
            if (f.isNanCode(code)) {
                assertTrue(Float.isNaN(decoded), () -> hex(code) + " should be NaN");
            } else if (f.isInfinityCode(code)) {
                assertEquals((code & 0x80) != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY, decoded, hex(code));
            } else {
                assertEquals(f.exactValue(code), decoded, 0.0, hex(code));
                assertEquals((code & 0x80) != 0, Math.copySign(1f, decoded) < 0, () -> "sign of " + hex(code));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void largestFiniteValueIsTheDocumentedMax(Fp8Format f) {
        assertEquals(f.max, f.decode(f.maxCode));
        assertEquals(-f.max, f.decode(0x80 | f.maxCode));
    }

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void encodingADecodedCodeGivesTheCodeBack(Fp8Format f) {
        int checked = 0;
        for (int code = 0; code < 256; code++) {
            if (f.isNanCode(code) || f.isInfinityCode(code)) {
                continue;
            }
            assertEquals(code, f.encode(f.decode(code)), hex(code));
            checked++;
        }
        assertEquals(f.hasInfinity ? 248 : 254, checked);
    }

    /** Saturating mode: ∞ is clamped like any other overflow, so E5M2's infinity codes do not round-trip. */
    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void infinitiesSaturateToTheLargestFiniteValue(Fp8Format f) {
        assertEquals(f.maxCode, f.encode(Float.POSITIVE_INFINITY));
        assertEquals(0x80 | f.maxCode, f.encode(Float.NEGATIVE_INFINITY));
    }

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void everyNanEncodesAsTheCanonicalNan(Fp8Format f) {
        int[] nanBits = {0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFF80_0001, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7FA0_1234};
        for (int bits : nanBits) {
            assertEquals(f.nanCode, f.encode(Float.intBitsToFloat(bits)), () -> Integer.toHexString(bits));
        }
        assertTrue(f.isNanCode(f.nanCode));
    }

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void zerosKeepTheirSign(Fp8Format f) {
        assertEquals(0x00, f.encode(0f));
        assertEquals(0x80, f.encode(-0f));
        assertEquals(0x00, f.encode(Float.MIN_VALUE));
        assertEquals(0x80, f.encode(-Float.MIN_VALUE));
    }

    /**
     * Every midpoint between neighbouring finite values goes to the even code; one float step either
     * side goes to the nearer neighbour. Midpoints are exact floats (one more mantissa bit than FP8).
     */
    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void midpointsTieToEvenAndNeighboursRoundToNearest(Fp8Format f) {
        for (int lower = 0; lower < f.maxCode; lower++) {
            int upper = lower + 1;
            float midpoint = (float) ((f.exactValue(lower) + f.exactValue(upper)) / 2);
            assertEquals((f.exactValue(lower) + f.exactValue(upper)) / 2, midpoint, 0.0, "midpoint is exact");
            int even = (lower & 1) == 0 ? lower : upper;
            for (int sign : new int[] {0, 0x80}) {
                float s = sign == 0 ? 1f : -1f;
                String where = "between " + hex(sign | lower) + " and " + hex(sign | upper);
                assertEquals(sign | even, f.encode(s * midpoint), "tie " + where);
                assertEquals(sign | upper, f.encode(s * Math.nextUp(midpoint)), "above the tie " + where);
                assertEquals(sign | lower, f.encode(s * Math.nextDown(midpoint)), "below the tie " + where);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void everySubnormalAndTheUnderflowBoundary(Fp8Format f) {
        float step = f.minSubnormal();
        for (int m = 1; m < (1 << f.mantissaBits); m++) {
            assertEquals(m, f.encode(m * step), "subnormal " + m);
            assertEquals(0x80 | m, f.encode(-m * step), "subnormal -" + m);
        }
        float half = step / 2;
        assertEquals(0x00, f.encode(half), "min subnormal / 2 ties to +0");
        assertEquals(0x80, f.encode(-half), "-min subnormal / 2 ties to -0");
        assertEquals(0x01, f.encode(Math.nextUp(half)));
        assertEquals(0x81, f.encode(-Math.nextUp(half)));
        assertEquals(0x00, f.encode(Math.nextDown(half)));
        // The largest subnormal rounds up into the smallest normal at the tie (even mantissa 000).
        int smallestNormal = 1 << f.mantissaBits;
        float tie = (float) ((f.exactValue(smallestNormal - 1) + f.exactValue(smallestNormal)) / 2);
        assertEquals(smallestNormal, f.encode(tie));
    }

    /** Past the largest finite value everything saturates, including the tie with the next virtual step. */
    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void overflowSaturates(Fp8Format f) {
        double spacingAtTop = f.exactValue(f.maxCode) - f.exactValue(f.maxCode - 1);
        float tieAboveMax = (float) (f.max + spacingAtTop / 2);
        float[] above = {f.max, Math.nextUp(f.max), Math.nextDown(tieAboveMax), tieAboveMax, Math.nextUp(tieAboveMax),
                (float) (f.max + spacingAtTop), 2 * f.max, 1e30f, Float.MAX_VALUE};
        for (float v : above) {
            assertEquals(f.maxCode, f.encode(v), () -> "encode(" + v + ")");
            assertEquals(0x80 | f.maxCode, f.encode(-v), () -> "encode(" + -v + ")");
        }
        assertEquals(f.maxCode - 1, f.encode(Math.nextDown((float) (f.max - spacingAtTop / 2))));
    }

    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void agreesWithExhaustiveSearchOnRandomBitPatterns(Fp8Format f) {
        Fp8ReferenceEncoder reference = new Fp8ReferenceEncoder(f);
        SplittableRandom random = new SplittableRandom(0x5EED_F8L + f.ordinal());
        for (int i = 0; i < 4_000_000; i++) {
            float v = Float.intBitsToFloat(random.nextInt());
            assertEncodesLike(reference, f, v);
        }
    }

    /** Random values concentrated where the format lives: log-uniform from far below the subnormals to beyond MAX. */
    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void agreesWithExhaustiveSearchOnRandomValuesInRange(Fp8Format f) {
        Fp8ReferenceEncoder reference = new Fp8ReferenceEncoder(f);
        SplittableRandom random = new SplittableRandom(0xF8F8L + f.ordinal());
        int lowExponent = Math.getExponent(f.minSubnormal()) - 3;
        int highExponent = Math.getExponent(f.max) + 3;
        for (int i = 0; i < 4_000_000; i++) {
            float magnitude = Math.scalb(1f + random.nextFloat(), random.nextInt(lowExponent, highExponent + 1));
            assertEncodesLike(reference, f, random.nextBoolean() ? magnitude : -magnitude);
        }
    }

    /** Every 211th float bit pattern in [-500, 500] (an odd stride, so all low-bit patterns occur). */
    @ParameterizedTest
    @EnumSource(Fp8Format.class)
    void agreesWithExhaustiveSearchAcrossMinus500To500(Fp8Format f) {
        Fp8ReferenceEncoder reference = new Fp8ReferenceEncoder(f);
        int top = Float.floatToRawIntBits(500f);
        long checked = 0;
        for (int bits = 0; bits >= 0 && bits <= top; bits += 211) {
            float v = Float.intBitsToFloat(bits);
            assertEncodesLike(reference, f, v);
            assertEncodesLike(reference, f, -v);
            checked += 2;
        }
        assertTrue(checked > 10_000_000, "checked " + checked);
    }

    private static void assertEncodesLike(Fp8ReferenceEncoder reference, Fp8Format f, float v) {
        int expected = reference.encode(v);
        int actual = f.encode(v);
        if (expected != actual) {
            assertEquals(hex(expected), hex(actual), () -> f + ".fromFloat(" + v + " = 0x"
                    + Integer.toHexString(Float.floatToRawIntBits(v)) + ")");
        }
    }

    private static String hex(int code) {
        return String.format("0x%02X", code);
    }
}
