package io.lpu4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The added (and special) tokens, found in the text before normalization (normalized=false) or in
 * the normalized text (normalized=true), leftmost-longest as HF's Aho-Corasick matcher does.
 */
final class AddedVocabulary {
    private static final Pattern WORD_CHAR = Pattern.compile("\\w", Pattern.UNICODE_CHARACTER_CLASS);

    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Map<String, AddedToken> byContent = new HashMap<>();
    private final Set<String> specialContents = new HashSet<>();
    private final Trie raw = new Trie();
    private final Trie normalizedTrie = new Trie();

    AddedVocabulary(List<AddedToken> tokens, Normalizer normalizer) {
        // HF matches special tokens first, then the others, each in file order.
        List<AddedToken> ordered = new ArrayList<>(tokens.stream().filter(AddedToken::special).toList());
        ordered.addAll(tokens.stream().filter(t -> !t.special()).toList());
        for (AddedToken t : ordered) {
            if (t.content().isEmpty()) {
                continue;
            }
            byId.put(t.id(), t);
            byContent.put(t.content(), t);
            if (t.special()) {
                specialContents.add(t.content());
            }
            if (t.normalized()) {
                NormalizedString pattern = new NormalizedString(t.content());
                if (normalizer != null) {
                    normalizer.normalize(pattern);
                }
                normalizedTrie.add(pattern.get(), t);
            } else {
                raw.add(t.content(), t);
            }
        }
    }

    /**
     * The added tokens with the ids HF gives them, which are not always those the file states: a
     * token the model vocab has takes that id, a new one the next id after the vocab and earlier
     * added tokens.
     */
    static List<AddedToken> tokensFromJson(JsonNode list, TokenizerFile file, Vocabulary vocab) {
        List<AddedToken> tokens = new ArrayList<>();
        if (list == null || list.isNull()) {
            return tokens;
        }
        Map<String, Integer> ids = new HashMap<>();
        for (JsonNode t : list) {
            String content = file.text(t, "content", "added token");
            if (content.isEmpty()) {
                continue;
            }
            Integer id = ids.get(content);
            if (id == null) {
                id = vocab.id(content);
            }
            if (id < 0) {
                int max = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
                id = max >= vocab.size() ? max + 1 : vocab.size();
            }
            ids.put(content, id);
            tokens.add(new AddedToken(id, content, file.bool(t, "single_word", false), file.bool(t, "lstrip", false),
                    file.bool(t, "rstrip", false), file.bool(t, "normalized", true), file.bool(t, "special", false)));
        }
        return tokens;
    }

    AddedToken byId(int id) {
        return byId.get(id);
    }

    AddedToken byContent(String content) {
        return byContent.get(content);
    }

    boolean isSpecial(String content) {
        return specialContents.contains(content);
    }

    int maxId() {
        return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    /** Finds the added tokens and normalizes the text between them. Empty pieces are dropped. */
    List<Split> extractAndNormalize(String text, Normalizer normalizer) {
        List<Split> out = new ArrayList<>();
        for (Split s : split(new NormalizedString(text), raw)) {
            if (s.tokens() != null) {
                out.add(s);
                continue;
            }
            if (normalizer != null) {
                normalizer.normalize(s.piece());
            }
            out.addAll(split(s.piece(), normalizedTrie));
        }
        out.removeIf(s -> s.piece().isEmpty());
        return out;
    }

    /** HF's find_matches + split_with_indices. */
    private List<Split> split(NormalizedString piece, Trie trie) {
        String s = piece.get();
        List<Split> out = new ArrayList<>();
        int done = 0;
        int from = 0;
        while (!trie.isEmpty() && from < s.length()) {
            int[] match = trie.leftmostLongest(s, from);
            if (match == null) {
                break;
            }
            int start = match[0];
            int stop = match[1];
            AddedToken token = trie.token(match[2]);
            from = stop;
            if (token.singleWord()) {
                boolean startSpace = start == 0 || !endsWithWord(s, start);
                boolean stopSpace = stop == s.length() || !startsWithWord(s, stop);
                if (!startSpace || !stopSpace) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0 && UnicodeProps.isWhiteSpace(s.codePointBefore(newStart))) {
                    newStart -= Character.charCount(s.codePointBefore(newStart));
                }
                start = Math.max(newStart, done);
            }
            if (token.rstrip()) {
                while (stop < s.length() && UnicodeProps.isWhiteSpace(s.codePointAt(stop))) {
                    stop += Character.charCount(s.codePointAt(stop));
                }
                from = stop;
            }
            if (done < start) {
                out.add(new Split(piece.slice(done, start), null));
            }
            NormalizedString matched = piece.slice(start, stop);
            out.add(new Split(matched, List.of(new Token(token.id(), matched.get(), 0, matched.length()))));
            done = stop;
        }
        if (done == 0 && out.isEmpty()) {
            out.add(new Split(piece, null));
        } else if (done < s.length()) {
            out.add(new Split(piece.slice(done, s.length()), null));
        }
        return out;
    }

    private static boolean endsWithWord(String s, int end) {
        return WORD_CHAR.matcher(Character.toString(s.codePointBefore(end))).matches();
    }

    private static boolean startsWithWord(String s, int start) {
        return WORD_CHAR.matcher(Character.toString(s.codePointAt(start))).matches();
    }

    /** A char trie of token contents. */
    private static final class Trie {
        private final Map<Character, Node> roots = new HashMap<>();
        private final List<AddedToken> tokens = new ArrayList<>();

        private static final class Node {
            final Map<Character, Node> children = new HashMap<>();
            int token = -1;
        }

        void add(String content, AddedToken token) {
            if (content.isEmpty()) {
                return;
            }
            Map<Character, Node> level = roots;
            Node node = null;
            for (int i = 0; i < content.length(); i++) {
                node = level.computeIfAbsent(content.charAt(i), c -> new Node());
                level = node.children;
            }
            if (node.token < 0) {
                node.token = tokens.size();
                tokens.add(token);
            }
        }

        boolean isEmpty() {
            return roots.isEmpty();
        }

        AddedToken token(int index) {
            return tokens.get(index);
        }

        /** {start, end, token index} of the leftmost, then longest, match at or after {@code from}; or null. */
        int[] leftmostLongest(String s, int from) {
            for (int start = from; start < s.length(); start++) {
                Node node = roots.get(s.charAt(start));
                int bestEnd = -1;
                int best = -1;
                for (int i = start + 1; node != null; i++) {
                    if (node.token >= 0) {
                        bestEnd = i;
                        best = node.token;
                    }
                    node = i < s.length() ? node.children.get(s.charAt(i)) : null;
                }
                if (best >= 0) {
                    return new int[] {start, bestEnd, best};
                }
            }
            return null;
        }
    }
}
