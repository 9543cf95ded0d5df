package io.lpu4j.weights;

import java.nio.file.Path;

/**
 * A checkpoint file or index that cannot be used as it is. The message is one line that names the
 * file and, where there is one, the tensor, then says what was expected.
 */
public final class InvalidCheckpointException extends RuntimeException {

    public InvalidCheckpointException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public InvalidCheckpointException(Path file, String tensor, String problem) {
        super(file + ": tensor '" + tensor + "': " + problem);
    }
}
