package io.lpu4j.engine.kernel;

import jdk.incubator.vector.ShortVector;

import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;
import static io.lpu4j.engine.kernel.Lanes.SHORT;

/**
 * Moves activations between the shared buffers (F32 or IEEE binary16) and a worker's F32 scratch.
 * Binary16 rounding is round-to-nearest-even ({@link Float#floatToFloat16}); widening is exact.
 * Widening uses the vector decoder: C2 does not vectorize a scalar float16ToFloat loop from one
 * native segment to another (it cannot rule out overlap), which measured 4 values/ns.
 */
public final class Activations {
    private Activations() {
    }

    /** Widens {@code n} values from {@code src} (F16 if {@code half}, else F32) into F32 {@code dst}. */
    public static void widen(MemorySegment src, long srcAt, boolean half, MemorySegment dst, long dstAt, int n) {
        if (half) {
            widenHalf(src, srcAt, dst, dstAt, n);
        } else {
            MemorySegment.copy(src, srcAt * Float.BYTES, dst, dstAt * Float.BYTES, (long) n * Float.BYTES);
        }
    }

    /** The binary16 path in a method of its own, for the reason given at {@code Attention.widenHalf}. */
    private static void widenHalf(MemorySegment src, long srcAt, MemorySegment dst, long dstAt, int n) {
        int whole = n - n % Lanes.N;
        for (int i = 0; i < whole; i += Lanes.N) {
            Decode.f16(ShortVector.fromMemorySegment(Lanes.S, src, (srcAt + i) * Short.BYTES, Lanes.ORDER))
                    .intoMemorySegment(dst, (dstAt + i) * Float.BYTES, Lanes.ORDER);
        }
        for (int i = whole; i < n; i++) {
            dst.setAtIndex(FLOAT, dstAt + i, Float.float16ToFloat(src.getAtIndex(SHORT, srcAt + i)));
        }
    }

    /** Stores one value, rounded to binary16 if {@code half}. */
    public static void store(MemorySegment dst, long at, boolean half, float value) {
        if (half) {
            dst.setAtIndex(SHORT, at, Float.floatToFloat16(value));
        } else {
            dst.setAtIndex(FLOAT, at, value);
        }
    }

    /** The value as it will be after a round trip through the activation type. */
    public static float round(boolean half, float value) {
        return half ? Float.float16ToFloat(Float.floatToFloat16(value)) : value;
    }
}
