package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-pair encoding (HF's models/bpe): a word starts as its chars (or, with byte_fallback, the
 * "<0xAB>" tokens of chars the vocab lacks, or the unknown token) and merges pairs by rank.
 */
final class BpeModel implements Model {
    /** Words longer than this are not cached (HF: MAX_LENGTH); the cache stops growing at CACHE_CAPACITY. */
    private static final int CACHE_MAX_WORD = 256;
    private static final int CACHE_CAPACITY = 10_000;

    private final Vocabulary vocab;
    private final MergeTable merges;
    private final int unkId;
    private final String prefix;
    private final String suffix;
    private final boolean fuseUnk;
    private final boolean ignoreMerges;
    /** The id of each byte's "<0xAB>" token, or -1; null without byte_fallback. */
    private final int[] byteIds;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    BpeModel(JsonNode node, TokenizerFile file) {
        if (node.hasNonNull("dropout") && node.get("dropout").asDouble() > 0) {
            throw file.invalid("BPE dropout is not supported (it makes encoding random)");
        }
        vocab = new Vocabulary(node.get("vocab"), file);
        String unk = file.textOr(node, "unk_token", null);
        unkId = unk == null ? -1 : vocab.require(unk, "unk_token", file);
        prefix = file.textOr(node, "continuing_subword_prefix", null);
        suffix = file.textOr(node, "end_of_word_suffix", null);
        fuseUnk = file.bool(node, "fuse_unk", false);
        ignoreMerges = file.bool(node, "ignore_merges", false);
        if (file.bool(node, "byte_fallback", false)) {
            byteIds = new int[256];
            for (int b = 0; b < 256; b++) {
                byteIds[b] = vocab.id(String.format("<0x%02X>", b));
            }
        } else {
            byteIds = null;
        }
        merges = readMerges(file.required(node, "merges", "BPE model"), file);
    }

    private MergeTable readMerges(JsonNode list, TokenizerFile file) {
        MergeTable table = new MergeTable(list.size());
        int prefixLength = prefix == null ? 0 : prefix.length();
        int rank = 0;
        for (JsonNode merge : list) {
            String left;
            String right;
            if (merge.isArray() && merge.size() == 2) {
                left = merge.get(0).asText();
                right = merge.get(1).asText();
            } else {
                String[] parts = merge.asText().split(" ", -1);
                if (!merge.isTextual() || parts.length != 2) {
                    throw file.invalid("BPE merge " + merge + " should be \"a b\" or [\"a\", \"b\"]");
                }
                left = parts[0];
                right = parts[1];
            }
            int merged = vocab.id(left + right.substring(Math.min(prefixLength, right.length())));
            int l = vocab.id(left);
            int r = vocab.id(right);
            if (l < 0 || r < 0 || merged < 0) {
                throw file.invalid("BPE merge " + merge + " uses a token that is not in the vocab");
            }
            table.put(l, r, rank++, merged);
        }
        return table;
    }

    @Override
    public List<Token> tokenize(String piece) {
        if (piece.isEmpty()) {
            return List.of();
        }
        if (ignoreMerges) {
            int id = vocab.id(piece);
            if (id >= 0) {
                return List.of(new Token(id, piece, 0, piece.length()));
            }
        }
        int[] symbols = cache.get(piece);
        if (symbols == null) {
            BpeWord word = initialWord(piece);
            word.mergeAll(merges);
            symbols = word.symbols();
            if (piece.length() < CACHE_MAX_WORD && cache.size() < CACHE_CAPACITY) {
                cache.put(piece, symbols);
            }
        }
        List<Token> tokens = new ArrayList<>(symbols.length / 3);
        for (int i = 0; i < symbols.length; i += 3) {
            tokens.add(new Token(symbols[i], vocab.token(symbols[i]), symbols[i + 1], symbols[i + 2]));
        }
        return tokens;
    }

    /** The piece's chars as symbols, with HF's prefix/suffix, byte fallback and unknown-token rules. */
    private BpeWord initialWord(String piece) {
        BpeWord word = new BpeWord();
        int unkStart = -1;
        int unkEnd = -1;
        for (int i = 0; i < piece.length(); ) {
            int cp = piece.codePointAt(i);
            int end = i + Character.charCount(cp);
            String s = piece.substring(i, end);
            if (prefix != null && i > 0) {
                s = prefix + s;
            }
            if (suffix != null && end == piece.length()) {
                s = s + suffix;
            }
            int id = vocab.id(s);
            if (id >= 0) {
                if (unkStart >= 0) {
                    word.add(unkId, unkStart, unkEnd);
                    unkStart = -1;
                }
                word.add(id, i, end);
            } else if (!addBytes(word, s, i, end)) {
                if (unkId >= 0) {
                    if (unkStart >= 0 && !fuseUnk) {
                        word.add(unkId, unkStart, unkEnd);
                        unkStart = -1;
                    }
                    if (unkStart < 0) {
                        unkStart = i;
                    }
                    unkEnd = end;
                }
            }
            i = end;
        }
        if (unkStart >= 0) {
            word.add(unkId, unkStart, unkEnd);
        }
        return word;
    }

    /** Byte fallback: adds the "<0xAB>" token of each UTF-8 byte, if the vocab has them all. */
    private boolean addBytes(BpeWord word, String s, int from, int to) {
        if (byteIds == null) {
            return false;
        }
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (byte b : bytes) {
            if (byteIds[b & 0xFF] < 0) {
                return false;
            }
        }
        // Each byte token covers the whole char: HF's byte offsets all map back to that char.
        for (byte b : bytes) {
            word.add(byteIds[b & 0xFF], from, to);
        }
        return true;
    }

    @Override
    public Vocabulary vocab() {
        return vocab;
    }
}
