package io.lpu4j.app;

/** A mistake in what the user asked for (flags, files, input), reported as one line with exit code 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }
}
