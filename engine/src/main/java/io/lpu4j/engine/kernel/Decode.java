package io.lpu4j.engine.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.B;
import static io.lpu4j.engine.kernel.Lanes.F;
import static io.lpu4j.engine.kernel.Lanes.I;
import static io.lpu4j.engine.kernel.Lanes.ORDER;
import static io.lpu4j.engine.kernel.Lanes.S;

/**
 * One vector of weights or activations loaded and widened exactly to F32, all in registers.
 *
 * <p>Every kernel helper that hands a vector to its caller (or takes one) lives here, and only here,
 * because such a call must be inlined: a vector that crosses a real call is boxed on the heap, and
 * the Vector API's own methods are inlined by annotation, ours are not. C2 declines to inline a small
 * method it has already compiled on its own ("already compiled into a medium method"), which depends
 * on what got hot first: seen as 254 KB allocated per decode step (stories260K) in 2 of 6 test
 * processes pinned to one core, and on CI. So every JVM lpu4j starts passes
 * {@code -XX:CompileCommand=inline,io.lpu4j.engine.kernel.Decode::*} (see {@code lpu4j.jvmFlags} in
 * the root pom.xml), which makes the inlining unconditional.
 */
final class Decode {
    private static final FloatVector TWO_TO_MINUS_6 = FloatVector.broadcast(F, 0x1p-6f);
    /** The sign and the E4M3 fields of a sign-extended code shifted left by 20 (see {@link #fp8TimesTwoToMinus120}). */
    static final int FP8_FIELDS = 0x87F00000;
    /**
     * The same fields one short wide: a code in the top byte of a short, shifted right by 4
     * (arithmetic), masked with this, is its {@link #FP8_FIELDS} pattern's upper half; that half in
     * the top of an int (the rest zero) is the code's value × 2^-120 as F32 (see
     * {@link Fp8Matrix#dotTwoFours}).
     */
    static final short FP8_HALF_FIELDS = (short) 0x87F0;
    /** The upper half of an int: the F32 pattern an odd short of {@link #FP8_HALF_FIELDS} already is. */
    static final int UPPER_HALF = 0xFFFF0000;

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
    static FloatVector fp8(IntVector bits) {
        IntVector magnitude = bits.and(0x7F);
        VectorMask<Integer> subnormal = magnitude.compare(VectorOperators.LT, 8);
        FloatVector value = magnitude.lanewise(VectorOperators.LSHL, 20).add(120 << 23)
                .add(1 << 23, subnormal).reinterpretAsFloats()
                .sub(TWO_TO_MINUS_6, subnormal.cast(F));
        // Sign: the codes are sign-extended, so bit 31 of the int is the code's sign bit.
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
    static FloatVector fp8TimesTwoToMinus120(IntVector codes) {
        return codes.lanewise(VectorOperators.LSHL, 20).and(FP8_FIELDS).reinterpretAsFloats();
    }

    /**
     * N one-byte codes of one row, sign-extended to ints (as {@link #fp8} and
     * {@link #fp8TimesTwoToMinus120} take them): with {@code shift} −1, the N bytes from byte
     * {@code at} on; else byte {@code (24 − shift) / 8} of each of the N ints from byte {@code at}
     * on, a row of a column-by-column group ({@link InterleavedMatrix#byteShift}).
     */
    static IntVector codes(MemorySegment data, long at, int shift) {
        if (shift < 0) {
            return (IntVector) ByteVector.fromMemorySegment(B, data, at, ORDER).convertShape(VectorOperators.B2I, I, 0);
        }
        return IntVector.fromMemorySegment(I, data, at, ORDER).lanewise(VectorOperators.LSHL, shift)
                .lanewise(VectorOperators.ASHR, 24);
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

    /** N BF16 values of {@code segment} from value {@code element} on, → F32: each is the upper half of its float. */
    static FloatVector bf16(MemorySegment segment, long element) {
        ShortVector bits = ShortVector.fromMemorySegment(S, segment, element * Short.BYTES, ORDER);
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** N floats from {@code segment}, starting at float {@code floatIndex}. */
    static FloatVector f32(MemorySegment segment, long floatIndex) {
        return FloatVector.fromMemorySegment(F, segment, floatIndex * Float.BYTES, ORDER);
    }
}
