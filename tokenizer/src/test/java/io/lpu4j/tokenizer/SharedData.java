package io.lpu4j.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-only shared data directory the build passes as system property lpu4j.shared. */
final class SharedData {
    private SharedData() {
    }

    static Path path(String relative) {
        String root = System.getProperty("lpu4j.shared");
        assertTrue(root != null, "system property lpu4j.shared is not set (run the tests through Maven)");
        Path p = Path.of(root).resolve(relative);
        assertTrue(Files.exists(p), "missing shared data: " + p);
        return p;
    }
}
