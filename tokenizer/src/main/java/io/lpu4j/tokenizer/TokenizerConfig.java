package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** What the engine uses from tokenizer_config.json (transformers' settings beside tokenizer.json). */
record TokenizerConfig(String tokenizerClass, String chatTemplate, String bosToken, String eosToken,
                       Boolean addBosToken, Boolean addEosToken) {

    static final TokenizerConfig NONE = new TokenizerConfig(null, null, null, null, null, null);

    /** transformers rebuilds the post-processor of these classes from add_bos_token / add_eos_token. */
    private static final Set<String> BOS_EOS_CLASSES = Set.of("LlamaTokenizer", "LlamaTokenizerFast",
            "CodeLlamaTokenizer", "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast");

    static TokenizerConfig read(Path path, ObjectMapper json) {
        if (!Files.isRegularFile(path)) {
            return NONE;
        }
        TokenizerFile file = new TokenizerFile(path.toString());
        JsonNode root;
        try {
            root = json.readTree(path.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw file.invalid("not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TokenizerConfig(file.textOr(root, "tokenizer_class", null), chatTemplate(root.get("chat_template"), file),
                tokenString(root.get("bos_token")), tokenString(root.get("eos_token")),
                root.hasNonNull("add_bos_token") ? root.get("add_bos_token").asBoolean() : null,
                root.hasNonNull("add_eos_token") ? root.get("add_eos_token").asBoolean() : null);
    }

    /** Whether add_bos_token / add_eos_token decide the special tokens, as transformers does for Llama-like classes. */
    boolean decidesBosEos() {
        return tokenizerClass != null && BOS_EOS_CLASSES.contains(tokenizerClass)
                && (addBosToken != null || addEosToken != null);
    }

    /** A string, or a list of {name, template} of which "default" is taken. */
    private static String chatTemplate(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode t : node) {
                if ("default".equals(t.path("name").asText())) {
                    return t.path("template").asText();
                }
            }
            return node.isEmpty() ? null : node.get(0).path("template").asText();
        }
        throw file.invalid("chat_template should be a string or a list of {name, template}");
    }

    /** A special token given as a string or as an AddedToken object {"content": ...}. */
    private static String tokenString(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : node.path("content").asText(null);
    }
}
