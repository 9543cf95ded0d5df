package io.lpu4j.engine.bert;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.engine.InvalidModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A JSON file of a model directory, read with typed getters whose errors name the file and the
 * key and say what was expected, so every caller reports a bad setting the same way.
 */
final class JsonConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode root;

    private JsonConfig(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /** Parses {@code file}, which must hold a JSON object (or, with {@code array}, an array). */
    static JsonConfig read(Path file) {
        return read(file, false);
    }

    static JsonConfig readArray(Path file) {
        return read(file, true);
    }

    private static JsonConfig read(Path file, boolean array) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(file + ": no such file");
        } catch (JacksonException e) {
            throw new InvalidModelException(file + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot read: " + e.getMessage());
        }
        boolean ok = root != null && (array ? root.isArray() : root.isObject());
        if (!ok) {
            throw new InvalidModelException(file + ": expected a JSON " + (array ? "array" : "object"));
        }
        return new JsonConfig(file, root);
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    boolean has(String key) {
        return root.has(key) && !root.get(key).isNull();
    }

    /** Fails unless {@code key} holds exactly the string {@code expected}. */
    void requireText(String key, String expected) {
        required(key, expected);
        requireTextOrAbsent(key, expected);
    }

    /** Fails if {@code key} is present with any value but the string {@code expected}. */
    void requireTextOrAbsent(String key, String expected) {
        JsonNode value = root.get(key);
        if (has(key) && !(value.isTextual() && value.asText().equals(expected))) {
            throw unsupported(key, value, expected);
        }
    }

    /** Fails if {@code key} is present with any value but the boolean {@code expected}. */
    void requireBooleanOrAbsent(String key, boolean expected) {
        JsonNode value = root.get(key);
        if (has(key) && !(value.isBoolean() && value.asBoolean() == expected)) {
            throw unsupported(key, value, String.valueOf(expected));
        }
    }

    /** The boolean at {@code key}, or {@code absent} if there is none. */
    boolean booleanOr(String key, boolean absent) {
        if (!has(key)) {
            return absent;
        }
        JsonNode value = root.get(key);
        if (!value.isBoolean()) {
            throw notA(key, value, "true or false");
        }
        return value.asBoolean();
    }

    int positiveInt(String key) {
        JsonNode value = required(key, "a positive integer");
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() <= 0) {
            throw notA(key, value, "a positive integer");
        }
        return value.asInt();
    }

    float positiveFloat(String key) {
        JsonNode value = required(key, "a positive number");
        float f = (float) value.asDouble();
        if (!value.isNumber() || !(f > 0) || Float.isInfinite(f)) {
            throw notA(key, value, "a positive number");
        }
        return f;
    }

    private JsonNode required(String key, String expected) {
        if (!has(key)) {
            throw new InvalidModelException(file + ": missing '" + key + "' (expected " + expected + ")");
        }
        return root.get(key);
    }

    private InvalidModelException notA(String key, JsonNode value, String expected) {
        return new InvalidModelException(file + ": '" + key + "' = " + value + " is not " + expected);
    }

    private InvalidModelException unsupported(String key, JsonNode value, String expected) {
        String shown = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return new InvalidModelException(file + ": '" + key + "' = " + shown
                + " is not supported (expected " + expected + ")");
    }
}
