package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Builds the decoder a tokenizer.json describes; the small ones are here as lambdas. */
final class Decoders {
    private Decoders() {
    }

    /** Null when the file has none. */
    static Decoder fromJson(JsonNode node, TokenizerFile file) {
        if (node == null || node.isNull()) {
            return null;
        }
        String what = "decoder";
        String type = file.type(node, what);
        return switch (type) {
            case "Sequence" -> {
                List<Decoder> parts = file.list(node, "decoders", what, Decoders::fromJson);
                yield tokens -> {
                    for (Decoder d : parts) {
                        tokens = d.decodeChain(tokens);
                    }
                    return tokens;
                };
            }
            case "ByteLevel" -> ByteLevel.DECODER;
            case "Metaspace" -> Metaspace.decoderFromJson(node, file);
            case "WordPiece" -> wordPiece(file.textOr(node, "prefix", "##"), file.bool(node, "cleanup", true));
            case "ByteFallback" -> Decoders::byteFallback;
            case "Fuse" -> tokens -> new ArrayList<>(List.of(String.join("", tokens)));
            case "Strip" -> strip(file.text(node, "content", what).codePointAt(0),
                    file.integer(node, "start", 0), file.integer(node, "stop", 0));
            case "Replace" -> {
                SplitPattern pattern = file.pattern(node, what);
                String content = file.text(node, "content", what);
                yield tokens -> tokens.stream().map(t -> replace(t, pattern, content)).toList();
            }
            case "BPEDecoder" -> {
                String suffix = file.textOr(node, "suffix", "</w>");
                yield tokens -> {
                    List<String> out = new ArrayList<>(tokens.size());
                    for (int i = 0; i < tokens.size(); i++) {
                        out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
                    }
                    return out;
                };
            }
            default -> throw file.unsupported(what, type);
        };
    }

    private static String replace(String token, SplitPattern pattern, String content) {
        StringBuilder sb = new StringBuilder(token.length());
        for (SplitPattern.Match m : pattern.findMatches(token)) {
            sb.append(m.isMatch() ? content : token.substring(m.start(), m.end()));
        }
        return sb.toString();
    }

    /** Runs of "<0xAB>" tokens become the text of their bytes, or one U+FFFD per byte if that is not UTF-8. */
    private static List<String> byteFallback(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        for (String token : tokens) {
            int b = byteToken(token);
            if (b >= 0) {
                pending.write(b);
                continue;
            }
            flushBytes(pending, out);
            out.add(token);
        }
        flushBytes(pending, out);
        return out;
    }

    private static void flushBytes(ByteArrayOutputStream pending, List<String> out) {
        if (pending.size() == 0) {
            return;
        }
        String text = Utf8.decodeStrict(pending.toByteArray());
        if (text != null) {
            out.add(text);
        } else {
            for (int i = 0; i < pending.size(); i++) {
                out.add("\uFFFD");
            }
        }
        pending.reset();
    }

    /** The byte of a "<0xAB>" token, or -1. */
    private static int byteToken(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(token.charAt(3), 16);
        int lo = Character.digit(token.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    /** Removes up to {@code start} leading and {@code stop} trailing {@code content} chars from each token. */
    private static Decoder strip(int content, int start, int stop) {
        return tokens -> tokens.stream().map(token -> {
            int[] cps = token.codePoints().toArray();
            int from = 0;
            while (from < start && from < cps.length && cps[from] == content) {
                from++;
            }
            int to = cps.length;
            for (int i = 0; i < stop && to - 1 >= 0 && cps[to - 1] == content; i++) {
                to--;
            }
            return from >= to ? "" : new String(cps, from, to - from);
        }).toList();
    }

    /** BERT's "##" joining, with the tokenizer's clean-up of spaces before punctuation. */
    private static Decoder wordPiece(String prefix, boolean cleanup) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (i != 0) {
                    token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
                }
                out.add(cleanup ? cleanup(token) : token);
            }
            return out;
        };
    }

    private static String cleanup(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }
}
