package io.lpu4j.app;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Logits rows as raw little-endian float32 (the format of the golden files). Written beside the
 * destination and moved into place by {@link #commit()}, so a failed run leaves no half file.
 */
final class LogitsFile implements AutoCloseable {
    private final Path destination;
    private final Path partial;
    private final OutputStream out;
    private ByteBuffer row = ByteBuffer.allocate(0);
    private boolean committed;

    private LogitsFile(Path destination, Path partial, OutputStream out) {
        this.destination = destination;
        this.partial = partial;
        this.out = out;
    }

    static LogitsFile create(Path destination) {
        Path partial = destination.resolveSibling(destination.getFileName() + ".partial");
        try {
            return new LogitsFile(destination, partial, new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20));
        } catch (IOException e) {
            throw new UserError("--dump-logits: cannot write " + destination + ": " + e.getMessage());
        }
    }

    void write(int position, float[] logits) {
        if (row.capacity() != logits.length * 4) {
            row = ByteBuffer.allocate(logits.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        }
        row.clear();
        row.asFloatBuffer().put(logits);
        try {
            out.write(row.array());
        } catch (IOException e) {
            throw new UncheckedIOException("--dump-logits: cannot write " + partial, e);
        }
    }

    void commit() throws IOException {
        out.close();
        Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            out.close();
            Files.deleteIfExists(partial);
        }
    }
}
