package io.lpu4j.weights;

import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-made safetensors files, well-formed or not, and the check that a bad one is refused properly. */
final class SafetensorsBytes {
    private SafetensorsBytes() {
    }

    /** 8-byte little-endian header length, the header as UTF-8, then {@code data}. */
    static Path write(Path file, String header, byte[] data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return writeRaw(file, ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array());
    }

    /** {@code headerLength} as the 8-byte little-endian prefix, followed by {@code rest}. */
    static Path writeWithLength(Path file, long headerLength, byte[] rest) {
        return writeRaw(file, ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(headerLength).put(rest).array());
    }

    static Path writeRaw(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A header entry: {@code "name": {"dtype": ..., "shape": ..., "data_offsets": [begin, end]}}. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": ["
                + begin + ", " + end + "]}";
    }

    /** A header object holding the given entries. */
    static String header(String... entries) {
        return "{" + String.join(", ", entries) + "}";
    }

    static ByteBuffer littleEndian(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Asserts that {@code action} fails with a one-line {@link InvalidCheckpointException} that starts
     * with the file (and, if {@code tensor} is not null, the tensor) and mentions {@code phrase}.
     */
    static InvalidCheckpointException assertRefused(Path file, String tensor, String phrase, Executable action) {
        InvalidCheckpointException e = assertThrows(InvalidCheckpointException.class, action);
        String message = e.getMessage();
        String prefix = tensor == null ? file + ": " : file + ": tensor '" + tensor + "': ";
        assertTrue(message.startsWith(prefix), () -> "expected prefix '" + prefix + "' in: " + message);
        assertTrue(message.contains(phrase), () -> "expected '" + phrase + "' in: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), () -> "not one line: " + message);
        return e;
    }
}
