package io.lpu4j.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;

/** Line-by-line stdin for the commands that take one input per line, as text or as JSON. */
final class InputLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InputLines() {
    }

    interface Handler {
        void handle(int lineNumber, String line);
    }

    /** Calls {@code handler} for each non-blank line, numbered from 1. */
    static void forEachNonBlank(BufferedReader in, Handler handler) throws IOException {
        int n = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            n++;
            if (!line.isBlank()) {
                handler.handle(n, line);
            }
        }
    }

    /** The JSON string on an input line. */
    static String jsonString(int lineNumber, String line) {
        JsonNode node = parse(lineNumber, line);
        if (!node.isTextual()) {
            throw new UserError("stdin line " + lineNumber + ": expected a JSON string, got " + abbreviate(line));
        }
        return node.asText();
    }

    static JsonNode parse(int lineNumber, String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new UserError("stdin line " + lineNumber + ": not valid JSON: " + abbreviate(line));
        }
    }

    static String abbreviate(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
