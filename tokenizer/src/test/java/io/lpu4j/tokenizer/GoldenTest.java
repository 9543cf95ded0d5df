package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against outputs of independent implementations: llama2.c's run.c and the sentence-transformers inputs. */
class GoldenTest {

    @Test
    void storiesPromptMatchesRunC() throws Exception {
        Tokenizer tokenizer = Tokenizer.fromModelDir(SharedData.path("models/stories260K"));
        assertArrayEquals(runCTokens("PROMPT_TOKENS"), tokenizer.encode("Once upon a time"));
    }

    /**
     * run.c's greedy continuation of "Once upon a time" is the start of its greedy run from BOS alone
     * (which begins with the same words), so the decoded ids must be a prefix of the text it printed.
     */
    @Test
    void storiesGenerationDecodesToWhatRunCPrinted() throws Exception {
        Tokenizer tokenizer = Tokenizer.fromModelDir(SharedData.path("models/stories260K"));
        int[] all = runCTokens("ALL_TOKENS");
        String printed = Files.readString(SharedData.path("golden/stories260K/runc_200steps_from_bos.txt"));
        String decoded = tokenizer.decode(all, true);
        assertTrue(decoded.length() > 250, "decoded only: " + decoded);
        assertTrue(printed.startsWith(decoded), "run.c printed:\n" + printed + "\nlpu4j decoded:\n" + decoded);

        StreamDecoder stream = tokenizer.streamDecoder(true);
        StringBuilder streamed = new StringBuilder();
        for (int id : all) {
            streamed.append(stream.next(id));
        }
        assertEquals(decoded, streamed.append(stream.flush()).toString());
    }

    @Test
    void miniLmInputsMatchSentenceTransformers() throws Exception {
        Tokenizer tokenizer = Tokenizer.fromModelDir(SharedData.path("models/all-MiniLM-L6-v2"));
        JsonNode inputs = new ObjectMapper().readTree(
                SharedData.path("golden/all-MiniLM-L6-v2/inputs_tokenized.json").toFile());
        assertEquals(4, inputs.size());
        for (JsonNode input : inputs) {
            // The file's own truncation and padding (to 128) apply, as in the golden inputs.
            Encoding e = tokenizer.encodeWithOffsets(input.get("text").asText(), true);
            assertArrayEquals(ints(input.get("ids")), e.ids(), input.get("text").asText());
            assertArrayEquals(ints(input.get("mask")), e.attentionMask());
            assertArrayEquals(ints(input.get("type_ids")), e.typeIds());
            List<String> tokens = new java.util.ArrayList<>();
            input.get("tokens").forEach(t -> tokens.add(t.asText()));
            assertEquals(tokens, e.tokens());
        }
    }

    @Test
    void miniLmTruncatesLongTextTo128WithSep() {
        Tokenizer tokenizer = Tokenizer.fromModelDir(SharedData.path("models/all-MiniLM-L6-v2"));
        int[] ids = tokenizer.encode("word ".repeat(500));
        assertEquals(128, ids.length);
        assertEquals(101, ids[0]);
        assertEquals(102, ids[127]);
        assertEquals(502, tokenizer.withoutTruncationAndPadding().encode("word ".repeat(500)).length);
    }

    private static int[] runCTokens(String line) throws Exception {
        for (String l : Files.readAllLines(SharedData.path("golden/stories260K/runc_greedy_once_upon_a_time_120.txt"))) {
            if (l.startsWith(line + " ")) {
                return Arrays.stream(l.substring(line.length() + 1).trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            }
        }
        throw new AssertionError("no " + line + " line");
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
