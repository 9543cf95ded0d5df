package io.lpu4j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a directory tree, for the commands that build output beside its destination and move it
 * into place when complete (quantized checkpoints, shard cache entries, synthetic models).
 */
public final class Directories {
    private Directories() {
    }

    /** Deletes {@code dir} and everything under it; nothing to do if it does not exist. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** As {@link #delete}, best effort: for leftovers whose presence is harmless. */
    public static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException | UncheckedIOException e) {
            // Callers only read entries under their final names, so a leftover does no harm.
        }
    }
}
