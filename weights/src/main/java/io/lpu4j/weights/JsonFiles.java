package io.lpu4j.weights;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The one JSON mapper of this module, and reading a small JSON file (index, config) with errors naming it. */
final class JsonFiles {
    /**
     * Strict on what the safetensors reference implementation also refuses: a key given twice (which a
     * lenient parser would silently resolve to the last one) and anything after the JSON value but
     * whitespace, such as the spaces writers pad headers with (a lenient parser would ignore
     * {@code {...}garbage}).
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonFiles() {
    }

    /** The parsed file (a MissingNode if it is empty). */
    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(Files.readAllBytes(file));
        } catch (JacksonException e) {
            throw new InvalidCheckpointException(file, "not valid JSON: " + firstLine(e.getOriginalMessage()));
        } catch (NoSuchFileException e) {
            throw new InvalidCheckpointException(file, "no such file");
        } catch (IOException e) {
            throw new InvalidCheckpointException(file, "cannot read: " + e.getMessage());
        }
    }

    /** Jackson's messages can run to several lines (with a source excerpt); ours are one. */
    static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
