package io.lpu4j.engine.plan;

/** An activation buffer of the arena: {@code width} elements per token, room for the batch. */
public record BufferPlan(String name, ActivationType type, int width, long offset, long bytes) {
}
