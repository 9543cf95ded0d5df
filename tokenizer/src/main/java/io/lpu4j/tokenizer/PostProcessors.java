package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Arrays;
import java.util.List;

/** Builds the post-processor a tokenizer.json describes. */
final class PostProcessors {
    private PostProcessors() {
    }

    /** Null when the file has none. */
    static PostProcessor fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        String what = "post-processor";
        String type = file.type(node, what);
        return switch (type) {
            case "TemplateProcessing" -> TemplatePostProcessor.fromJson(node, file);
            // BertProcessing and RobertaProcessing are the template [CLS] $A [SEP]; RoBERTa also trims offsets.
            case "BertProcessing" -> clsTextSep(node, file);
            case "RobertaProcessing" -> {
                PostProcessor template = clsTextSep(node, file);
                yield file.bool(node, "trim_offsets", true)
                        ? sequence(List.of(byteLevel(file.bool(node, "add_prefix_space", true)), template))
                        : template;
            }
            case "ByteLevel" -> file.bool(node, "trim_offsets", true)
                    ? byteLevel(file.bool(node, "add_prefix_space", true)) : sequence(List.of());
            case "Sequence" -> {
                List<PostProcessor> parts = file.list(node, "processors", what, PostProcessors::fromJson);
                yield sequence(parts);
            }
            default -> throw file.unsupported(what, type);
        };
    }

    private static PostProcessor clsTextSep(JsonNode node, TokenizerFile file) {
        return TemplatePostProcessor.of(Arrays.asList(pair(node, "cls", file), null, pair(node, "sep", file)));
    }

    /** A ["[CLS]", 101] field as a special token. */
    private static TemplatePostProcessor.SpecialToken pair(JsonNode node, String field, TokenizerFile file) {
        JsonNode p = file.required(node, field, "post-processor");
        if (!p.isArray() || p.size() != 2) {
            throw file.invalid("post-processor \"" + field + "\" should be [token, id]");
        }
        return new TemplatePostProcessor.SpecialToken(new int[] {p.get(1).asInt()}, List.of(p.get(0).asText()));
    }

    private static PostProcessor byteLevel(boolean addPrefixSpace) {
        return new PostProcessor() {
            @Override
            public EncodingBuilder process(EncodingBuilder encoding, boolean addSpecialTokens) {
                ByteLevel.trimOffsets(encoding, addPrefixSpace);
                return encoding;
            }

            @Override
            public int addedTokens() {
                return 0;
            }
        };
    }

    private static PostProcessor sequence(List<PostProcessor> parts) {
        return new PostProcessor() {
            @Override
            public EncodingBuilder process(EncodingBuilder encoding, boolean addSpecialTokens) {
                for (PostProcessor p : parts) {
                    encoding = p.process(encoding, addSpecialTokens);
                }
                return encoding;
            }

            @Override
            public int addedTokens() {
                return parts.stream().mapToInt(PostProcessor::addedTokens).sum();
            }
        };
    }
}
