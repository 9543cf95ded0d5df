package io.lpu4j.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.lpu4j.weights.SafetensorsBytes.assertRefused;
import static io.lpu4j.weights.SafetensorsBytes.entry;
import static io.lpu4j.weights.SafetensorsBytes.header;
import static io.lpu4j.weights.SafetensorsBytes.write;

/** Every way a safetensors file can be malformed is refused with one line naming the file and tensor. */
class SafetensorsFileValidationTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("model.safetensors");
    }

    private void open(Path file) {
        try (Arena arena = Arena.ofConfined()) {
            SafetensorsFile.open(file, arena);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7})
    void fileShorterThanTheLengthPrefix(int size) {
        Path f = SafetensorsBytes.writeRaw(file(), new byte[size]);
        assertRefused(f, null, "file is " + size + " bytes, too short", () -> open(f));
    }

    @Test
    void missingFile() {
        assertRefused(file(), null, "no such file", () -> open(file()));
    }

    @Test
    void headerLengthBeyondTheFile() {
        Path f = SafetensorsBytes.writeWithLength(file(), 100, "{}".getBytes(StandardCharsets.UTF_8));
        assertRefused(f, null, "header length 100 runs past the end of the file (10 bytes)", () -> open(f));
    }

    @ParameterizedTest
    @CsvSource({"100000001, 100000001", "-1, 18446744073709551615", "-9223372036854775808, 9223372036854775808"})
    void absurdHeaderLength(long declared, String unsigned) {
        Path f = SafetensorsBytes.writeWithLength(file(), declared, new byte[16]);
        assertRefused(f, null, "header length " + unsigned + " is absurd", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"w\": ", "\u00ff\u00fe", "{} trailing", "{}{}"})
    void headerNotJson(String header) {
        Path f = write(file(), header, new byte[0]);
        assertRefused(f, null, "header is not valid JSON", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "\"text\"", "42", "null", "", "        "})
    void headerNotAnObject(String header) {
        Path f = write(file(), header, new byte[0]);
        assertRefused(f, null, "header is not a JSON object", () -> open(f));
    }

    @Test
    void trailingSpacesPadTheHeader() {
        Path f = write(file(), header(entry("w", "U8", "[2]", 0, 2)) + "      ", new byte[2]);
        open(f);
    }

    @Test
    void entryNotAnObject() {
        Path f = write(file(), "{\"w\": [1]}", new byte[0]);
        assertRefused(f, "w", "entry is not a JSON object", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"shape\": [1], \"data_offsets\": [0, 1]}", "{\"dtype\": 3, \"shape\": [1], \"data_offsets\": [0, 1]}",
            "{\"dtype\": null, \"shape\": [1], \"data_offsets\": [0, 1]}"})
    void missingOrNonStringDtype(String body) {
        Path f = write(file(), "{\"w\": " + body + "}", new byte[1]);
        assertRefused(f, "w", "missing or non-string 'dtype'", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"F8_E8M0", "f32", "Q4_0", ""})
    void unknownDtype(String dtype) {
        Path f = write(file(), header(entry("w", dtype, "[1]", 0, 1)), new byte[1]);
        assertRefused(f, "w", "unknown dtype '" + dtype + "'", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"dtype\": \"U8\", \"data_offsets\": [0, 1]}", "{\"dtype\": \"U8\", \"shape\": 1, \"data_offsets\": [0, 1]}",
            "{\"dtype\": \"U8\", \"shape\": \"[1]\", \"data_offsets\": [0, 1]}"})
    void missingOrNonArrayShape(String body) {
        Path f = write(file(), "{\"w\": " + body + "}", new byte[1]);
        assertRefused(f, "w", "missing or non-array 'shape'", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2.5]", "[1.0]", "[\"2\"]", "[null]", "[[1]]", "[100000000000000000000]"})
    void nonIntegerDimension(String shape) {
        Path f = write(file(), header(entry("w", "U8", shape, 0, 1)), new byte[1]);
        assertRefused(f, "w", "is not an integer", () -> open(f));
    }

    @Test
    void negativeDimension() {
        Path f = write(file(), header(entry("w", "U8", "[-1, 4]", 0, 1)), new byte[1]);
        assertRefused(f, "w", "negative dimension -1", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"dtype\": \"U8\", \"shape\": [1]}", "{\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": 0}",
            "{\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0]}", "{\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": [0, 1, 2]}"})
    void missingOrMalformedOffsets(String body) {
        Path f = write(file(), "{\"w\": " + body + "}", new byte[1]);
        assertRefused(f, "w", "missing 'data_offsets' or not an array [begin, end]", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[-1, 0]", "[0.5, 1]", "[\"0\", 1]", "[0, 100000000000000000000]"})
    void offsetNotANonNegativeInteger(String offsets) {
        Path f = write(file(), "{\"w\": {\"dtype\": \"U8\", \"shape\": [1], \"data_offsets\": " + offsets + "}}", new byte[1]);
        assertRefused(f, "w", "is not a non-negative integer", () -> open(f));
    }

    @Test
    void offsetsEndBeforeBegin() {
        Path f = write(file(), header(entry("w", "U8", "[0]", 4, 2)), new byte[4]);
        assertRefused(f, "w", "data_offsets end 2 is before begin 4", () -> open(f));
    }

    @Test
    void offsetsPastTheData() {
        Path f = write(file(), header(entry("a", "U8", "[4]", 0, 4), entry("b", "F32", "[2]", 4, 12)), new byte[8]);
        assertRefused(f, "b", "run past the end of the data region (8 bytes)", () -> open(f));
    }

    @Test
    void overlappingTensors() {
        Path f = write(file(), header(entry("a", "F32", "[2]", 0, 8), entry("b", "F32", "[2]", 4, 12)), new byte[12]);
        assertRefused(f, "b", "overlap tensor 'a'", () -> open(f));
    }

    @Test
    void holeAtTheStart() {
        Path f = write(file(), header(entry("a", "U8", "[4]", 4, 8)), new byte[8]);
        assertRefused(f, "a", "leaving a hole after the header", () -> open(f));
    }

    @Test
    void holeBetweenTensors() {
        Path f = write(file(), header(entry("a", "U8", "[4]", 0, 4), entry("b", "U8", "[4]", 8, 12)), new byte[12]);
        assertRefused(f, "b", "leaving a hole after tensor 'a'", () -> open(f));
    }

    @Test
    void trailingBytesAfterTheLastTensor() {
        Path f = write(file(), header(entry("a", "U8", "[4]", 0, 4)), new byte[7]);
        assertRefused(f, null, "3 bytes after the last tensor 'a' that no tensor covers", () -> open(f));
    }

    @Test
    void dataButNoTensors() {
        Path f = write(file(), "{}", new byte[5]);
        assertRefused(f, null, "5 bytes after the last tensor that no tensor covers", () -> open(f));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"F32; [3]; 8", "F32; [2, 2]; 12", "BF16; [4]; 4", "U8; []; 0", "F64; [1]; 4"})
    void byteLengthDisagreesWithShapeAndDtype(String dtype, String shape, int bytes) {
        Path f = write(file(), header(entry("w", dtype, shape, 0, bytes)), new byte[bytes]);
        assertRefused(f, "w", "hold " + bytes + " bytes, but " + dtype, () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[4611686018427387904, 8]", "[9223372036854775807, 2]", "[3037000500, 3037000500, 1]"})
    void shapeOverflow(String shape) {
        Path f = write(file(), header(entry("w", "F32", shape, 0, 4)), new byte[4]);
        assertRefused(f, "w", "has more elements than can be addressed", () -> open(f));
    }

    @Test
    void duplicateTensorName() {
        Path f = write(file(), header(entry("a", "U8", "[1]", 0, 1), entry("w", "U8", "[1]", 1, 2),
                entry("w", "U8", "[1]", 2, 3)), new byte[3]);
        assertRefused(f, "w", "appears more than once in the header", () -> open(f));
    }

    @Test
    void duplicateFieldInATensor() {
        Path f = write(file(), "{\"w\": {\"dtype\": \"U8\", \"shape\": [1], \"dtype\": \"F32\", \"data_offsets\": [0, 1]}}",
                new byte[1]);
        assertRefused(f, "w", "has key 'dtype' more than once", () -> open(f));
    }

    @Test
    void duplicateKeyDeeperInAnEntry() {
        Path f = write(file(), "{\"w\": {\"dtype\": \"U8\", \"shape\": [{\"a\": 1, \"a\": 2}], \"data_offsets\": [0, 1]}}",
                new byte[1]);
        assertRefused(f, "w", "has key 'a' more than once", () -> open(f));
    }

    @Test
    void duplicateMetadataKey() {
        Path f = write(file(), "{\"__metadata__\": {\"format\": \"pt\", \"format\": \"np\"}}", new byte[0]);
        assertRefused(f, null, "'__metadata__' has key 'format' more than once", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"a\"]", "\"text\"", "null"})
    void metadataNotAnObject(String metadata) {
        Path f = write(file(), "{\"__metadata__\": " + metadata + "}", new byte[0]);
        assertRefused(f, null, "'__metadata__' is not a JSON object of strings", () -> open(f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "{\"x\": \"y\"}", "null", "true"})
    void metadataValueNotAString(String value) {
        Path f = write(file(), "{\"__metadata__\": {\"format\": \"pt\", \"bad\": " + value + "}}", new byte[0]);
        assertRefused(f, null, "'__metadata__' value of 'bad' is not a string", () -> open(f));
    }

    @Test
    void aNameWithALineBreakStaysOnOneLine() {
        Path f = write(file(), header(entry("evil\\nname", "Q8", "[1]", 0, 1)), new byte[1]);
        assertRefused(f, "evil\\nname", "unknown dtype 'Q8'", () -> open(f));
    }
}
