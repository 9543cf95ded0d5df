package io.lpu4j.weights;

import java.nio.file.Path;

/**
 * A checkpoint file or index that cannot be used as it is. The message is one line that names the
 * file and, where there is one, the tensor, then says what was expected. Line breaks inside a name
 * or a quoted value (tensor names come from the file, so may hold anything) are shown escaped, so
 * the message stays one line.
 */
public final class InvalidCheckpointException extends RuntimeException {

    public InvalidCheckpointException(Path file, String problem) {
        super(oneLine(file + ": " + problem));
    }

    public InvalidCheckpointException(Path file, String tensor, String problem) {
        super(oneLine(file + ": tensor '" + tensor + "': " + problem));
    }

    private static String oneLine(String message) {
        return message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
