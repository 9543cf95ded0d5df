package io.lpu4j.engine.plan;

/** Element type of activation buffers and the KV cache. */
public enum ActivationType {
    F32(4), F16(2);

    private final int bytes;

    ActivationType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
