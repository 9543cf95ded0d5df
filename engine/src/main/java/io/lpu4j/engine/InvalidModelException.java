package io.lpu4j.engine;

/**
 * A model directory or request the engine cannot run: a config with a missing or unsupported
 * setting, weights of the wrong shape, a prompt longer than the context. One line, naming the file,
 * key or tensor and what was expected.
 */
public final class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) {
        super(message);
    }
}
