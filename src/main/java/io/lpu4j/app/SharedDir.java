package io.lpu4j.app;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The read-only shared data beside the project root ({@code <root>/../shared}). The launcher may be
 * run from anywhere, so the root is found from where lpu4j's own classes were loaded
 * ({@code <root>/src/target/lpu4j.jar} or {@code <root>/src/target/classes}); the system property
 * {@code lpu4j.shared} overrides it.
 */
final class SharedDir {
    private SharedDir() {
    }

    static Path root() {
        String property = System.getProperty("lpu4j.shared");
        if (property != null) {
            return Path.of(property);
        }
        try {
            Path code = Path.of(SharedDir.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // code = <root>/src/target/<jar or classes>: up three levels is the root, then its sibling.
            return code.resolve("../../../../shared").normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate lpu4j's classes", e);
        }
    }
}
