package io.lpu4j.engine.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.I;

/**
 * Exact widening of one vector of 8- or 16-bit weights to F32, all in registers.
 */
final class Decode {
    private static final FloatVector TWO_TO_MINUS_6 = FloatVector.broadcast(F, 0x1p-6f);
    /** The sign and the E4M3 fields of a sign-extended code shifted left by 20 (see {@link #fp8TimesTwoToMinus120}). */
    static final int FP8_FIELDS = 0x87F00000;

    private Decode() {
    }

    /**
     * OCP E4M3 → F32. The 7 magnitude bits e.eee.mmm are moved to FP32's exponent/mantissa fields and
     * the exponent rebased (+120) by an integer add. Subnormals (e = 0, value m·2^-9) have no
     * implicit leading 1, so they are decoded as if e were 1 (2^-6 + m·2^-9) and 2^-6 is subtracted,
     * exactly (Giesen's half-to-float trick). About nine operations: the one-token products of
     * per-channel and per-tensor weights use {@link #fp8TimesTwoToMinus120} instead; this one serves
     * where true F32 values are needed (prefill tiles, block scales). The NaN codes are refused when
     * weights are loaded, so they need no care here.
     */
    static FloatVector fp8(ByteVector codes) {
        IntVector bits = (IntVector) codes.convertShape(VectorOperators.B2I, I, 0);
        IntVector magnitude = bits.and(0x7F);
        VectorMask<Integer> subnormal = magnitude.compare(VectorOperators.LT, 8);
        FloatVector value = magnitude.lanewise(VectorOperators.LSHL, 20).add(120 << 23)
                .add(1 << 23, subnormal).reinterpretAsFloats()
                .sub(TWO_TO_MINUS_6, subnormal.cast(F));
        // Sign: B2I sign-extends, so bit 31 of the int is the code's sign bit.
        return value.reinterpretAsInts().or(bits.and(0x80000000)).reinterpretAsFloats();
    }

    /**
     * OCP E4M3 → F32 × 2^-120, exactly, in three operations: sign-extend the code to 32 bits, shift
     * it left by 20 (sign to bit 31, exponent and mantissa into FP32's fields, whose bias is 127
     * instead of 7: hence the factor 2^-120), clear the sign's copies in bits 27-30. Subnormal codes
     * become FP32 denormals, exact values that FMA consumes at full speed on the machines measured
     * (AMD Zen 5: same throughput with 0 % and 6 % subnormal codes); the kernels keep every
     * product and sum clear of the denormal range by scaling the activations up instead (see
     * {@code Fp8Matrix}). Kept under 35 bytecodes so that C2 inlines it at any call site.
     */
    static FloatVector fp8TimesTwoToMinus120(ByteVector codes) {
        return ((IntVector) codes.convertShape(VectorOperators.B2I, I, 0))
                .lanewise(VectorOperators.LSHL, 20).and(FP8_FIELDS).reinterpretAsFloats();
    }

    /** INT8 → F32 (exact: every int8 is a float). */
    static FloatVector int8(ByteVector codes) {
        return (FloatVector) codes.convertShape(VectorOperators.B2F, F, 0);
    }

    private static final FloatVector TWO_TO_MINUS_14 = FloatVector.broadcast(F, 0x1p-14f);

    /**
     * IEEE binary16 → F32, exactly, subnormals, infinities and NaN included: the same rebasing trick
     * as {@link #fp8} (exponent +112; subnormals decoded with exponent 1, then 2^-14 subtracted;
     * exponent 31 gets the extra +112 that makes it 255).
     */
    static FloatVector f16(ShortVector bits) {
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        IntVector magnitude = wide.and(0x7FFF);
        VectorMask<Integer> subnormal = magnitude.compare(VectorOperators.LT, 0x400);
        VectorMask<Integer> special = magnitude.compare(VectorOperators.GE, 0x7C00);
        FloatVector value = magnitude.lanewise(VectorOperators.LSHL, 13).add(112 << 23)
                .add(1 << 23, subnormal).add(112 << 23, special).reinterpretAsFloats()
                .sub(TWO_TO_MINUS_14, subnormal.cast(F));
        return value.reinterpretAsInts().or(wide.and(0x80000000)).reinterpretAsFloats();
    }

    /** BF16 → F32: the 16 bits are the upper half of the float. */
    static FloatVector bf16(ShortVector bits) {
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
