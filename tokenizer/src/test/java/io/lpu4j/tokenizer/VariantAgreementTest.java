package io.lpu4j.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * lpu4j against HF on tokenizer.json variants built from the shared files, for the components those
 * files do not use: Llama-3 / Qwen2 style regex splits, ignore_merges, NFC/NFKC, Metaspace, other
 * pre-tokenizers and post-processors, added tokens with lstrip/rstrip/single_word/normalized.
 */
class VariantAgreementTest {
    private static final int STRINGS = 1500;
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LLAMA3_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    static final String QWEN2_REGEX = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
            + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    enum Variant {
        LLAMA3_STYLE("tokenizers/gpt2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                root.set("pre_tokenizer", sequence("pretokenizers", split("Regex", LLAMA3_REGEX, "Isolated", false),
                        json("{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}")));
                ((ObjectNode) root.get("model")).put("ignore_merges", true);
                root.set("post_processor", sequence("processors",
                        json("{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":false,\"use_regex\":true}"),
                        template("<|endoftext|>", 50256, null, 0)));
                addToken(root, 50257, "<|im_start|>", false, false, false, false, true);
                addToken(root, 50258, "<mask>", true, false, false, false, true);
            }
        },
        QWEN2_STYLE("tokenizers/gpt2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                root.set("normalizer", json("{\"type\":\"NFC\"}"));
                root.set("pre_tokenizer", sequence("pretokenizers", split("Regex", QWEN2_REGEX, "Isolated", false),
                        json("{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":false,\"use_regex\":false}")));
                root.set("post_processor",
                        json("{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":false}"));
                addToken(root, 50257, "<|im_start|>", false, false, false, false, true);
                addToken(root, 50258, "time", false, false, true, true, false);
            }
        },
        METASPACE_FIRST("tokenizers/llama2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                root.putNull("normalizer");
                root.set("pre_tokenizer", json("{\"type\":\"Metaspace\",\"replacement\":\"\u2581\","
                        + "\"prepend_scheme\":\"first\",\"split\":false}"));
                root.set("decoder", sequence("decoders", json("{\"type\":\"Metaspace\",\"replacement\":\"\u2581\","
                        + "\"prepend_scheme\":\"first\",\"split\":false}"), json("{\"type\":\"ByteFallback\"}")));
                root.set("post_processor", template("<s>", 1, "</s>", 2));
                addToken(root, 32000, "<mask>", false, true, false, false, false);
            }
        },
        METASPACE_SPLIT("tokenizers/llama2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                root.set("normalizer", json("{\"type\":\"NFKC\"}"));
                root.set("pre_tokenizer", json("{\"type\":\"Metaspace\",\"replacement\":\"\u2581\","
                        + "\"prepend_scheme\":\"always\",\"split\":true}"));
                root.set("decoder", json("{\"type\":\"Metaspace\",\"replacement\":\"\u2581\","
                        + "\"prepend_scheme\":\"always\",\"split\":true}"));
                addToken(root, 32000, "<mask>", true, true, false, true, true);
            }
        },
        BERT_CASED_DIGITS("models/all-MiniLM-L6-v2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                root.set("normalizer", sequence("normalizers", json("{\"type\":\"NFKC\"}"),
                        json("{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":false,"
                                + "\"strip_accents\":false,\"lowercase\":false}")));
                root.set("pre_tokenizer", sequence("pretokenizers", json("{\"type\":\"WhitespaceSplit\"}"),
                        json("{\"type\":\"Digits\",\"individual_digits\":true}"),
                        json("{\"type\":\"Punctuation\",\"behavior\":\"Isolated\"}")));
                root.set("post_processor", json("{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",102],\"cls\":[\"[CLS]\",101]}"));
                root.set("decoder", json("{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":false}"));
            }
        },
        BERT_STRIPPED("models/all-MiniLM-L6-v2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                root.set("normalizer", sequence("normalizers", json("{\"type\":\"NFD\"}"),
                        json("{\"type\":\"StripAccents\"}"), json("{\"type\":\"Lowercase\"}"),
                        json("{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":true}")));
                root.set("pre_tokenizer", json("{\"type\":\"Whitespace\"}"));
                root.set("post_processor", json("{\"type\":\"RobertaProcessing\",\"sep\":[\"[SEP]\",102],"
                        + "\"cls\":[\"[CLS]\",101],\"trim_offsets\":true,\"add_prefix_space\":true}"));
            }
        },
        REPLACE_AND_CASE("tokenizers/gpt2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                ObjectNode runs = replace("Regex", "[ \\t]{2,}", " ");
                ObjectNode words = replace("String", "don't", "do not");
                ObjectNode drop = replace("String", "'", "");
                root.set("normalizer", sequence("normalizers", runs, words, drop, json("{\"type\":\"Lowercase\"}"),
                        json("{\"type\":\"NFKD\"}")));
                root.set("decoder", json("{\"type\":\"BPEDecoder\",\"suffix\":\"\u0120\"}"));
            }
        },
        SPLIT_BEHAVIORS("models/all-MiniLM-L6-v2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                ObjectNode spaces = split("String", " ", "MergedWithPrevious", false);
                ObjectNode letters = split("Regex", "\\p{L}+", "Contiguous", true);
                ObjectNode dashes = split("Regex", "[-_.,]", "MergedWithNext", false);
                root.set("pre_tokenizer", sequence("pretokenizers", spaces, letters, dashes,
                        json("{\"type\":\"Digits\",\"individual_digits\":false}")));
            }
        },
        /** A made-up BPE with "##" continuation and "</w>" word ends, which no shared file has. */
        BPE_PREFIX_SUFFIX("models/all-MiniLM-L6-v2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                ObjectNode model = root.putObject("model").put("type", "BPE").put("unk_token", "[UNK]")
                        .put("continuing_subword_prefix", "##").put("end_of_word_suffix", "</w>")
                        .put("fuse_unk", false).put("byte_fallback", false);
                ObjectNode vocab = model.putObject("vocab");
                vocab.put("[UNK]", 0);
                for (char c = 'a'; c <= 'z'; c++) {
                    for (String form : new String[] {"", "##"}) {
                        vocab.put(form + c, vocab.size());
                        vocab.put(form + c + "</w>", vocab.size());
                    }
                }
                ArrayNode merges = model.putArray("merges");
                String[][] pairs = {{"t", "##h"}, {"th", "##e</w>"}, {"a", "##n"}, {"an", "##d</w>"}, {"o", "##n"},
                    {"on", "##c"}, {"onc", "##e</w>"}, {"##i", "##n"}, {"##in", "##g</w>"}, {"i", "##s</w>"}};
                for (String[] pair : pairs) {
                    String merged = pair[0] + pair[1].substring(2);
                    if (!vocab.has(merged)) {
                        vocab.put(merged, vocab.size());
                    }
                    merges.add(pair[0] + " " + pair[1]);
                }
                root.set("normalizer", json("{\"type\":\"Lowercase\"}"));
                root.set("pre_tokenizer", json("{\"type\":\"Whitespace\"}"));
                root.set("decoder", json("{\"type\":\"BPEDecoder\",\"suffix\":\"</w>\"}"));
                ((ArrayNode) root.get("added_tokens")).removeAll();
                addToken(root, 0, "[UNK]", false, false, false, false, true);
            }
        },
        WORD_LEVEL("models/all-MiniLM-L6-v2") {
            @Override
            void apply(ObjectNode root) throws Exception {
                ObjectNode model = (ObjectNode) root.get("model");
                model.put("type", "WordLevel");
                model.remove("continuing_subword_prefix");
                model.remove("max_input_chars_per_word");
                root.set("pre_tokenizer", json("{\"type\":\"Whitespace\"}"));
                root.putNull("decoder");
            }
        };

        final String base;

        Variant(String base) {
            this.base = base;
        }

        abstract void apply(ObjectNode root) throws Exception;
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void agreesWithHuggingFace(Variant variant, @TempDir Path dir) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(SharedData.path(variant.base).resolve("tokenizer.json").toFile());
        root.putNull("truncation");
        root.putNull("padding");
        variant.apply(root);
        Path json = dir.resolve("tokenizer.json");
        Files.writeString(json, JSON.writeValueAsString(root));
        OracleComparison comparison = new OracleComparison(variant.name());
        try (HuggingFaceTokenizer hf = OracleComparison.oracle(json)) {
            comparison.compareTexts(Tokenizer.fromFile(json), hf, TestStrings.generate(variant.ordinal(), STRINGS));
            comparison.compareRandomIds(Tokenizer.fromFile(json), hf, variant.ordinal(), 300);
        }
        comparison.assertAgreement();
    }

    static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    static ObjectNode sequence(String field, ObjectNode... parts) {
        ObjectNode node = JSON.createObjectNode().put("type", "Sequence");
        ArrayNode list = node.putArray(field);
        for (ObjectNode p : parts) {
            list.add(p);
        }
        return node;
    }

    /** A Split pre-tokenizer; {@code kind} is "Regex" or "String". */
    static ObjectNode split(String kind, String pattern, String behavior, boolean invert) {
        ObjectNode node = JSON.createObjectNode().put("type", "Split");
        node.putObject("pattern").put(kind, pattern);
        return node.put("behavior", behavior).put("invert", invert);
    }

    /** A Replace normalizer; {@code kind} is "Regex" or "String". */
    static ObjectNode replace(String kind, String pattern, String content) {
        ObjectNode node = JSON.createObjectNode().put("type", "Replace");
        node.putObject("pattern").put(kind, pattern);
        return node.put("content", content);
    }

    /** TemplateProcessing "first $A [last]". */
    static ObjectNode template(String first, int firstId, String last, int lastId) {
        ObjectNode node = JSON.createObjectNode().put("type", "TemplateProcessing");
        ArrayNode single = node.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", first).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        if (last != null) {
            single.addObject().putObject("SpecialToken").put("id", last).put("type_id", 0);
        }
        node.putArray("pair");
        ObjectNode specials = node.putObject("special_tokens");
        specials.putObject(first).put("id", first).<ObjectNode>set("ids", JSON.createArrayNode().add(firstId))
                .set("tokens", JSON.createArrayNode().add(first));
        if (last != null) {
            specials.putObject(last).put("id", last).<ObjectNode>set("ids", JSON.createArrayNode().add(lastId))
                    .set("tokens", JSON.createArrayNode().add(last));
        }
        return node;
    }

    static void addToken(ObjectNode root, int id, String content, boolean lstrip, boolean rstrip, boolean singleWord,
                         boolean normalized, boolean special) {
        ((ArrayNode) root.get("added_tokens")).addObject().put("id", id).put("content", content)
                .put("single_word", singleWord).put("lstrip", lstrip).put("rstrip", rstrip)
                .put("normalized", normalized).put("special", special);
    }
}
