package io.lpu4j.engine;

/** This machine or JVM cannot run the engine's kernels (one line saying what is missing and what to do). */
public final class UnsupportedMachineException extends RuntimeException {
    public UnsupportedMachineException(String message) {
        super(message);
    }
}
