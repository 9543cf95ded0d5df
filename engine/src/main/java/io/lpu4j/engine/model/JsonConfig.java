package io.lpu4j.engine.model;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lpu4j.engine.InvalidModelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads from a JSON config file, each failure one line naming the file and the key.
 * Config files are small, so they are read as trees.
 */
public final class JsonConfig {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode root;
    private final String keyPrefix;

    private JsonConfig(Path file, JsonNode root, String keyPrefix) {
        this.file = file;
        this.root = root;
        this.keyPrefix = keyPrefix;
    }

    /** Parses {@code file}, which must hold a JSON object. */
    public static JsonConfig read(Path file) {
        return read(file, false);
    }

    /** Parses {@code file}, which must hold a JSON array (such as sentence-transformers' modules.json). */
    public static JsonConfig readArray(Path file) {
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
        return new JsonConfig(file, root, "");
    }

    /** A nested object as a config of its own (same file for messages), or null if absent or null. */
    public JsonConfig object(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw error(key, "must be an object, got " + node);
        }
        return new JsonConfig(file, node, keyPrefix + key + ".");
    }

    public Path file() {
        return file;
    }

    public JsonNode node() {
        return root;
    }

    public boolean has(String key) {
        JsonNode node = root.get(key);
        return node != null && !node.isNull();
    }

    public int requirePositiveInt(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return positiveInt(key, 0);
    }

    public double requirePositiveNumber(String key) {
        if (!has(key)) {
            throw missing(key);
        }
        return positiveNumber(key, 0);
    }

    private InvalidModelException missing(String key) {
        return new InvalidModelException(file + ": missing required key '" + keyPrefix + key + "'");
    }

    public int positiveInt(String key, int fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = root.get(key);
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw error(key, "must be a positive integer, got " + node);
        }
        return node.asInt();
    }

    public double number(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = root.get(key);
        if (!node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw error(key, "must be a number, got " + node);
        }
        return node.asDouble();
    }

    public double positiveNumber(String key, double fallback) {
        double value = number(key, fallback);
        if (!(value > 0)) {
            throw error(key, "must be positive, got " + value);
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = root.get(key);
        if (!node.isBoolean()) {
            throw error(key, "must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    public String string(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode node = root.get(key);
        if (!node.isTextual()) {
            throw error(key, "must be a string, got " + node);
        }
        return node.asText();
    }

    /** An int or a list of ints (as {@code eos_token_id} may be); empty if absent. */
    public List<Integer> intOrInts(String key) {
        List<Integer> values = new ArrayList<>();
        if (!has(key)) {
            return values;
        }
        JsonNode node = root.get(key);
        if (node.isArray()) {
            for (JsonNode element : node) {
                values.add(nonNegativeInt(key, element));
            }
        } else {
            values.add(nonNegativeInt(key, node));
        }
        return values;
    }

    private int nonNegativeInt(String key, JsonNode node) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0) {
            throw error(key, "must be a non-negative integer or a list of them, got " + node);
        }
        return node.asInt();
    }

    /** Fails unless {@code key} holds exactly the string {@code expected}. */
    public void requireText(String key, String expected) {
        if (!has(key)) {
            throw missing(key);
        }
        requireTextOrAbsent(key, expected);
    }

    /** Fails if {@code key} is present with any value but the string {@code expected}. */
    public void requireTextOrAbsent(String key, String expected) {
        JsonNode value = root.get(key);
        if (has(key) && !(value.isTextual() && value.asText().equals(expected))) {
            throw unsupported(key, value, expected);
        }
    }

    /** Fails if {@code key} is present with any value but the boolean {@code expected}. */
    public void requireBooleanOrAbsent(String key, boolean expected) {
        JsonNode value = root.get(key);
        if (has(key) && !(value.isBoolean() && value.asBoolean() == expected)) {
            throw unsupported(key, value, String.valueOf(expected));
        }
    }

    private InvalidModelException unsupported(String key, JsonNode value, String expected) {
        String shown = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return error(key, "= " + shown + " is not supported (expected " + expected + ")");
    }

    /** An error about {@code key}: "FILE: 'key' PROBLEM". */
    public InvalidModelException error(String key, String problem) {
        return new InvalidModelException(file + ": '" + keyPrefix + key + "' " + problem);
    }
}
