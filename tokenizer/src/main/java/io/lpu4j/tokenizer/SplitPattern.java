package io.lpu4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds delimiters in a string: the matches and the gaps between them, covering the whole string. */
interface SplitPattern {

    /** A span [start, end) of the searched string (UTF-16 units) and whether it is a match. */
    record Match(int start, int end, boolean isMatch) {
    }

    List<Match> findMatches(String s);

    /** A regular expression, compiled to behave as the Oniguruma one HF uses. */
    static SplitPattern regex(String regex) {
        Pattern p = RustRegex.compile(regex);
        return s -> {
            List<Match> out = new ArrayList<>();
            if (s.isEmpty()) {
                out.add(new Match(0, 0, false));
                return out;
            }
            Matcher m = p.matcher(s);
            int prev = 0;
            while (m.find()) {
                if (m.start() == m.end()) {
                    continue; // empty matches split nothing
                }
                if (prev != m.start()) {
                    out.add(new Match(prev, m.start(), false));
                }
                out.add(new Match(m.start(), m.end(), true));
                prev = m.end();
            }
            if (prev != s.length()) {
                out.add(new Match(prev, s.length(), false));
            }
            return out;
        };
    }

    /** A literal string. */
    static SplitPattern literal(String literal) {
        return regex(Pattern.quote(literal));
    }

    /** Every single code point that {@code test} accepts is a match of its own. */
    static SplitPattern chars(IntPredicate test) {
        return s -> {
            List<Match> out = new ArrayList<>();
            if (s.isEmpty()) {
                out.add(new Match(0, 0, false));
                return out;
            }
            int last = 0;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (test.test(cp)) {
                    if (last < i) {
                        out.add(new Match(last, i, false));
                    }
                    out.add(new Match(i, next, true));
                    last = next;
                }
                i = next;
            }
            if (last < s.length()) {
                out.add(new Match(last, s.length(), false));
            }
            return out;
        };
    }

    /** The same spans with match and gap swapped. */
    static SplitPattern invert(SplitPattern pattern) {
        return s -> pattern.findMatches(s).stream().map(m -> new Match(m.start(), m.end(), !m.isMatch())).toList();
    }
}
