package io.lpu4j.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The read-only real data beside the project (system property lpu4j.shared, set by the build). */
public final class SharedData {
    private SharedData() {
    }

    public static Path root() {
        String dir = System.getProperty("lpu4j.shared");
        if (dir == null) {
            throw new IllegalStateException("system property lpu4j.shared is not set (run the tests through Maven)");
        }
        return Path.of(dir);
    }

    public static Path model(String name) {
        return root().resolve("models").resolve(name);
    }

    public static Path golden(String model, String file) {
        return root().resolve("golden").resolve(model).resolve(file);
    }

    /** The ids on line {@code key} of a run.c golden token file ("KEY id id id ..."). */
    public static int[] goldenTokens(String file, String key) {
        try {
            for (String line : Files.readAllLines(golden("stories260K", file))) {
                if (line.startsWith(key + " ")) {
                    return Arrays.stream(line.substring(key.length()).trim().split("\\s+"))
                            .mapToInt(Integer::parseInt).toArray();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no line " + key + " in " + file);
    }

    /** A raw little-endian float32 file. */
    public static float[] floats(Path file) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
