package io.lpu4j.weights;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code .safetensors} file, memory-mapped whole into a {@link MemorySegment} (no 2 GB limit)
 * and validated before any tensor is handed out.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of JSON (an object mapping tensor names
 * to {@code dtype}, {@code shape}, {@code data_offsets}, plus an optional {@code __metadata__} map of
 * strings), then the data region. Offsets are relative to the data region, which the tensors must
 * cover exactly: no overlaps, no holes, nothing left over.
 */
public final class SafetensorsFile {
    /** Headers beyond this are refused as absurd (the reference implementation uses the same bound). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";


    private final Path path;
    private final Map<String, TensorView> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, Map<String, TensorView> tensors, Map<String, String> metadata) {
        this.path = path;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /**
     * Maps and validates {@code file}. The mapping lives as long as {@code arena}.
     *
     * @throws InvalidCheckpointException naming the file (and tensor) if anything is malformed
     */
    public static SafetensorsFile open(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            long headerLength = readHeaderLength(file, channel, fileSize);
            JsonNode header = readHeader(file, channel, headerLength);
            long dataStart = 8 + headerLength;
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
            MemorySegment data = whole.asSlice(dataStart);
            return parse(file, header, data);
        } catch (NoSuchFileException e) {
            throw new InvalidCheckpointException(file, "no such file");
        } catch (IOException e) {
            throw new InvalidCheckpointException(file, "cannot read: " + e.getMessage());
        }
    }

    public Path path() {
        return path;
    }

    /** Tensors in header order. */
    public Map<String, TensorView> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} strings (empty if absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    private static long readHeaderLength(Path file, FileChannel channel, long fileSize) throws IOException {
        if (fileSize < 8) {
            throw new InvalidCheckpointException(file,
                    "file is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new InvalidCheckpointException(file, "header length " + Long.toUnsignedString(headerLength)
                    + " is absurd (expected at most " + MAX_HEADER_BYTES + " bytes)");
        }
        if (headerLength > fileSize - 8) {
            throw new InvalidCheckpointException(file, "header length " + headerLength
                    + " runs past the end of the file (" + fileSize + " bytes)");
        }
        return headerLength;
    }

    private static JsonNode readHeader(Path file, FileChannel channel, long headerLength) throws IOException {
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        JsonNode header;
        try {
            header = JsonFiles.MAPPER.readTree(headerBytes.array());
        } catch (StreamReadException e) {
            throw duplicateKey(file, e).orElseGet(() -> notJson(file, e));
        } catch (JacksonException e) {
            throw notJson(file, e);
        }
        if (header == null || !header.isObject()) {
            throw new InvalidCheckpointException(file, "header is not a JSON object");
        }
        return header;
    }

    private static InvalidCheckpointException notJson(Path file, JacksonException e) {
        return new InvalidCheckpointException(file, "header is not valid JSON: " + JsonFiles.firstLine(e.getOriginalMessage()));
    }

    /**
     * Jackson reports a repeated key only in its message; the parser's context at that point says where
     * it was: a repeated top-level key is a tensor given twice, a deeper one a key repeated inside the
     * entry of the top-level key it sits under.
     */
    private static Optional<InvalidCheckpointException> duplicateKey(Path file, StreamReadException e) {
        if (!(e.getProcessor() instanceof JsonParser parser) || e.getOriginalMessage() == null
                || !e.getOriginalMessage().startsWith("Duplicate field")) {
            return Optional.empty();
        }
        JsonStreamContext object = parser.getParsingContext();
        String key = object.getCurrentName();
        JsonStreamContext entry = object;
        while (entry.getParent() != null && !entry.getParent().inRoot()) {
            entry = entry.getParent();
        }
        String where = entry.getCurrentName();
        if (entry == object) {
            return Optional.of(new InvalidCheckpointException(file, key, "appears more than once in the header"));
        }
        String problem = "has key '" + key + "' more than once";
        return Optional.of(METADATA_KEY.equals(where)
                ? new InvalidCheckpointException(file, "'" + METADATA_KEY + "' " + problem)
                : new InvalidCheckpointException(file, where, problem));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private static SafetensorsFile parse(Path file, JsonNode header, MemorySegment data) {
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                metadata = parseMetadata(file, field.getValue());
            } else {
                entries.add(parseEntry(file, field.getKey(), field.getValue()));
            }
        }
        checkCoverage(file, entries, data.byteSize());
        Map<String, TensorView> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            MemorySegment bytes = data.asSlice(e.begin, e.end - e.begin);
            tensors.put(e.name, new TensorView(e.name, e.dtype, e.shape, bytes, file));
        }
        return new SafetensorsFile(file, Collections.unmodifiableMap(tensors), metadata);
    }

    private static Map<String, String> parseMetadata(Path file, JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidCheckpointException(file, "'__metadata__' is not a JSON object of strings");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new InvalidCheckpointException(file,
                        "'__metadata__' value of '" + field.getKey() + "' is not a string");
            }
            metadata.put(field.getKey(), field.getValue().asText());
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static Entry parseEntry(Path file, String name, JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidCheckpointException(file, name, "entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new InvalidCheckpointException(file, name, "missing or non-string 'dtype'");
        }
        DType dtype = DType.fromHeaderName(dtypeNode.asText()).orElseThrow(() -> new InvalidCheckpointException(
                file, name, "unknown dtype '" + dtypeNode.asText() + "' (expected one of "
                + java.util.Arrays.toString(DType.values()) + ")"));
        long[] shape = parseShape(file, name, node.get("shape"));
        long[] offsets = parseOffsets(file, name, node.get("data_offsets"));
        long elements = 1;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            long expectedBytes = Math.multiplyExact(elements, (long) dtype.bytes());
            if (offsets[1] - offsets[0] != expectedBytes) {
                throw new InvalidCheckpointException(file, name, "data_offsets " + java.util.Arrays.toString(offsets)
                        + " hold " + (offsets[1] - offsets[0]) + " bytes, but " + dtype + " "
                        + java.util.Arrays.toString(shape) + " needs " + expectedBytes);
            }
        } catch (ArithmeticException overflow) {
            throw new InvalidCheckpointException(file, name, "shape " + java.util.Arrays.toString(shape)
                    + " has more elements than can be addressed");
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] parseShape(Path file, String name, JsonNode node) {
        if (node == null || !node.isArray()) {
            throw new InvalidCheckpointException(file, name, "missing or non-array 'shape'");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw new InvalidCheckpointException(file, name, "shape entry " + d + " is not an integer");
            }
            shape[i] = d.asLong();
            if (shape[i] < 0) {
                throw new InvalidCheckpointException(file, name, "shape has a negative dimension " + shape[i]);
            }
        }
        return shape;
    }

    private static long[] parseOffsets(Path file, String name, JsonNode node) {
        if (node == null || !node.isArray() || node.size() != 2) {
            throw new InvalidCheckpointException(file, name, "missing 'data_offsets' or not an array [begin, end]");
        }
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = node.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
                throw new InvalidCheckpointException(file, name, "data_offsets entry " + o
                        + " is not a non-negative integer");
            }
            offsets[i] = o.asLong();
        }
        if (offsets[1] < offsets[0]) {
            throw new InvalidCheckpointException(file, name, "data_offsets end " + offsets[1]
                    + " is before begin " + offsets[0]);
        }
        return offsets;
    }

    /** The tensors must tile [0, dataSize) exactly, in some order. */
    private static void checkCoverage(Path file, List<Entry> entries, long dataSize) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        String previous = null;
        for (Entry e : byOffset) {
            if (e.end > dataSize) {
                throw new InvalidCheckpointException(file, e.name, "data_offsets [" + e.begin + ", " + e.end
                        + "] run past the end of the data region (" + dataSize + " bytes)");
            }
            if (e.begin < expectedBegin) {
                throw new InvalidCheckpointException(file, e.name, "data_offsets [" + e.begin + ", " + e.end
                        + "] overlap tensor '" + previous + "' (which ends at " + expectedBegin + ")");
            }
            if (e.begin > expectedBegin) {
                throw new InvalidCheckpointException(file, e.name, "data_offsets begin at " + e.begin
                        + ", leaving a hole after " + (previous == null ? "the header" : "tensor '" + previous + "'")
                        + " (expected " + expectedBegin + ")");
            }
            expectedBegin = e.end;
            previous = e.name;
        }
        if (expectedBegin != dataSize) {
            throw new InvalidCheckpointException(file, "the data region has " + (dataSize - expectedBegin)
                    + " bytes after the last tensor" + (previous == null ? "" : " '" + previous + "'")
                    + " that no tensor covers");
        }
    }
}
