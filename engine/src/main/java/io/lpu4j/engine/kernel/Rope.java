package io.lpu4j.engine.kernel;

import io.lpu4j.engine.model.ModelConfig;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static io.lpu4j.engine.kernel.Lanes.FLOAT;

/**
 * Rotary position embedding in Hugging Face's rotate-half layout: element i of a head pairs with
 * i + headDim/2. The cos/sin of every (position, frequency) are computed once, with StrictMath so
 * every JVM gets the same table.
 */
public final class Rope {
    private final MemorySegment cos;
    private final MemorySegment sin;
    private final int half;

    public Rope(ModelConfig config, int contextLength, Arena arena) {
        this.half = config.headDim() / 2;
        float[] inverse = config.ropeScaling().inverseFrequencies(config.headDim(), config.ropeTheta());
        this.cos = arena.allocate((long) contextLength * half * Float.BYTES, 64);
        this.sin = arena.allocate((long) contextLength * half * Float.BYTES, 64);
        for (int pos = 0; pos < contextLength; pos++) {
            for (int i = 0; i < half; i++) {
                float angle = pos * inverse[i];
                cos.setAtIndex(FLOAT, (long) pos * half + i, (float) StrictMath.cos(angle));
                sin.setAtIndex(FLOAT, (long) pos * half + i, (float) StrictMath.sin(angle));
            }
        }
    }

    /** Rotates the head of F32 values at {@code head[at..at + 2·half)} for position {@code pos}. */
    public void rotate(MemorySegment head, long at, int pos) {
        long table = (long) pos * half;
        for (int i = 0; i < half; i++) {
            float c = cos.getAtIndex(FLOAT, table + i);
            float s = sin.getAtIndex(FLOAT, table + i);
            float a = head.getAtIndex(FLOAT, at + i);
            float b = head.getAtIndex(FLOAT, at + i + half);
            head.setAtIndex(FLOAT, at + i, a * c - b * s);
            head.setAtIndex(FLOAT, at + i + half, b * c + a * s);
        }
    }
}
