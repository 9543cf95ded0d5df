package io.lpu4j.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

/**
 * A piece of the input after normalization, remembering for every UTF-16 unit of the normalized text
 * the range of the original text it came from. This is HF's {@code NormalizedString} with UTF-16
 * units in place of UTF-8 bytes: the alignment rules are the same, so offsets agree with HF's.
 */
final class NormalizedString {
    /** Where this piece's original text starts in the whole input. */
    private final int originalShift;
    private final int originalLength;
    private String normalized;
    /** Per normalized UTF-16 unit: the original range, relative to this piece's original start. */
    private int[] alignStart;
    private int[] alignEnd;

    NormalizedString(String original) {
        this.originalShift = 0;
        this.originalLength = original.length();
        this.normalized = original;
        int n = original.length();
        alignStart = new int[n];
        alignEnd = new int[n];
        for (int i = 0; i < n; ) {
            int size = Character.charCount(original.codePointAt(i));
            for (int k = 0; k < size; k++) {
                alignStart[i + k] = i;
                alignEnd[i + k] = i + size;
            }
            i += size;
        }
    }

    private NormalizedString(int originalShift, int originalLength, String normalized, int[] alignStart, int[] alignEnd) {
        this.originalShift = originalShift;
        this.originalLength = originalLength;
        this.normalized = normalized;
        this.alignStart = alignStart;
        this.alignEnd = alignEnd;
    }

    String get() {
        return normalized;
    }

    boolean isEmpty() {
        return normalized.isEmpty();
    }

    int length() {
        return normalized.length();
    }

    int originalStart() {
        return originalShift;
    }

    /**
     * The original range (absolute) of the normalized range [start, end), as HF's
     * {@code convert_offsets}: an empty range is only shifted, an out-of-range one is null.
     */
    int[] toOriginal(int start, int end) {
        if (start == end) {
            return new int[] {originalShift + start, originalShift + end};
        }
        if (start > end || end > normalized.length()) {
            return null;
        }
        return new int[] {originalShift + alignStart[start], originalShift + alignEnd[end - 1]};
    }

    /** The sub-piece covering the normalized range [start, end). */
    NormalizedString slice(int start, int end) {
        int shift = start == end ? start : alignStart[start];
        int originalEnd = start == end ? end : alignEnd[end - 1];
        int[] s = Arrays.copyOfRange(alignStart, start, end);
        int[] e = Arrays.copyOfRange(alignEnd, start, end);
        for (int i = 0; i < s.length; i++) {
            s[i] -= shift;
            e[i] -= shift;
        }
        return new NormalizedString(originalShift + shift, originalEnd - shift, normalized.substring(start, end), s, e);
    }

    /**
     * A list of (code point, change) edits for {@link #transform}: change 0 replaces the next
     * original char, 1 inserts a new char, -N replaces the next char and removes N more after it.
     */
    static final class Edits {
        private int[] cps = new int[16];
        private int[] changes = new int[16];
        private int size;

        Edits add(int cp, int change) {
            if (size == cps.length) {
                cps = Arrays.copyOf(cps, size * 2);
                changes = Arrays.copyOf(changes, size * 2);
            }
            cps[size] = cp;
            changes[size++] = change;
            return this;
        }

        int size() {
            return size;
        }

        int cp(int i) {
            return cps[i];
        }

        int change(int i) {
            return changes[i];
        }

        void setChange(int i, int change) {
            changes[i] = change;
        }
    }

    /** Rewrites the whole normalized text; {@code initialRemoved} code points at its start are dropped. */
    void transform(Edits edits, int initialRemoved) {
        transformRange(0, normalized.length(), edits, initialRemoved);
    }

    /** HF's {@code transform_range}: rewrites normalized [start, end) and updates the alignments. */
    void transformRange(int start, int end, Edits edits, int initialRemoved) {
        String replaced = normalized.substring(start, end);
        int ri = 0;
        for (int k = 0; k < initialRemoved && ri < replaced.length(); k++) {
            ri += Character.charCount(replaced.codePointAt(ri));
        }
        int offset = start + ri;
        StringBuilder out = new StringBuilder(edits.size() + 4);
        int[] newStart = new int[edits.size() * 2];
        int[] newEnd = new int[edits.size() * 2];
        int n = 0;
        for (int i = 0; i < edits.size(); i++) {
            int cp = edits.cp(i);
            int change = edits.change(i);
            int s;
            int e;
            if (change > 0) {
                // An inserted char shares the alignment of the char before it.
                s = offset < 1 ? 0 : alignStart[offset - 1];
                e = offset < 1 ? 0 : alignEnd[offset - 1];
            } else {
                s = alignStart[offset];
                e = alignEnd[offset];
                int size = Character.charCount(replaced.codePointAt(ri));
                ri += size;
                offset += size;
            }
            for (int k = 0; k < -change && ri < replaced.length(); k++) {
                int size = Character.charCount(replaced.codePointAt(ri));
                ri += size;
                offset += size;
            }
            out.appendCodePoint(cp);
            for (int k = Character.charCount(cp); k > 0; k--) {
                newStart[n] = s;
                newEnd[n++] = e;
            }
        }
        int oldLen = normalized.length();
        int newLen = oldLen - (end - start) + n;
        int[] as = new int[newLen];
        int[] ae = new int[newLen];
        System.arraycopy(alignStart, 0, as, 0, start);
        System.arraycopy(alignEnd, 0, ae, 0, start);
        System.arraycopy(newStart, 0, as, start, n);
        System.arraycopy(newEnd, 0, ae, start, n);
        System.arraycopy(alignStart, end, as, start + n, oldLen - end);
        System.arraycopy(alignEnd, end, ae, start + n, oldLen - end);
        alignStart = as;
        alignEnd = ae;
        normalized = normalized.substring(0, start) + out + normalized.substring(end);
    }

    /** Maps every code point to one code point. */
    void map(IntUnaryOperator f) {
        Edits edits = new Edits();
        normalized.codePoints().forEach(cp -> edits.add(f.applyAsInt(cp), 0));
        transform(edits, 0);
    }

    /** Keeps only the code points {@code keep} accepts. */
    void filter(IntPredicate keep) {
        Edits edits = new Edits();
        int removed = 0;
        int removedStart = 0;
        int last = -1;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (keep.test(cp)) {
                if (last >= 0) {
                    edits.add(last, -removed);
                } else {
                    removedStart = removed;
                }
                last = cp;
                removed = 0;
            } else {
                removed++;
            }
        }
        if (last >= 0) {
            edits.add(last, -removed);
        }
        transform(edits, removedStart);
    }

    void lowercase() {
        Edits edits = new Edits();
        normalized.codePoints().forEach(cp -> {
            if (cp == 0x130) { // the one char whose lower case is two: "i" and a combining dot
                edits.add('i', 0).add(0x307, 1);
            } else {
                edits.add(Character.toLowerCase(cp), 0);
            }
        });
        transform(edits, 0);
    }

    void prepend(String s) {
        if (normalized.isEmpty()) {
            return;
        }
        int first = normalized.codePointAt(0);
        Edits edits = new Edits();
        int[] k = {0};
        s.codePoints().forEach(c -> edits.add(c, k[0]++ == 0 ? 0 : 1));
        edits.add(first, 1);
        transformRange(0, Character.charCount(first), edits, 0);
    }

    /**
     * Replaces every match of {@code pattern} by {@code content}, in one pass (a transform per match
     * would copy the whole text each time). As in HF, every char of the replacement aligns to the
     * last char of its match (to the char before it, if the match is empty).
     */
    void replace(SplitPattern pattern, String content) {
        List<SplitPattern.Match> matches = pattern.findMatches(normalized);
        if (matches.stream().noneMatch(SplitPattern.Match::isMatch)) {
            return;
        }
        StringBuilder out = new StringBuilder(normalized.length() + 16);
        int capacity = normalized.length() + 16;
        int[] as = new int[capacity];
        int[] ae = new int[capacity];
        int n = 0;
        for (SplitPattern.Match m : matches) {
            int needed = n + (m.isMatch() ? content.length() : m.end() - m.start());
            if (needed > as.length) {
                as = Arrays.copyOf(as, Math.max(needed, as.length * 2));
                ae = Arrays.copyOf(ae, as.length);
            }
            if (!m.isMatch()) {
                out.append(normalized, m.start(), m.end());
                System.arraycopy(alignStart, m.start(), as, n, m.end() - m.start());
                System.arraycopy(alignEnd, m.start(), ae, n, m.end() - m.start());
                n += m.end() - m.start();
                continue;
            }
            int from = m.end() > m.start() ? m.end() - 1 : m.start() - 1;
            int s = from < 0 ? 0 : alignStart[from];
            int e = from < 0 ? 0 : alignEnd[from];
            out.append(content);
            Arrays.fill(as, n, n + content.length(), s);
            Arrays.fill(ae, n, n + content.length(), e);
            n += content.length();
        }
        normalized = out.toString();
        alignStart = Arrays.copyOf(as, n);
        alignEnd = Arrays.copyOf(ae, n);
    }

    /** Removes leading and/or trailing white space. */
    void strip(boolean left, boolean right) {
        int[] cps = normalized.codePoints().toArray();
        int leading = 0;
        while (left && leading < cps.length && UnicodeProps.isWhiteSpace(cps[leading])) {
            leading++;
        }
        int trailing = 0;
        while (right && trailing < cps.length && UnicodeProps.isWhiteSpace(cps[cps.length - 1 - trailing])) {
            trailing++;
        }
        if (leading == 0 && trailing == 0) {
            return;
        }
        Edits edits = new Edits();
        for (int i = leading; i < cps.length - trailing; i++) {
            edits.add(cps[i], i == cps.length - trailing - 1 ? -trailing : 0);
        }
        transform(edits, leading);
    }

    /** Splits on the matches of {@code pattern}, treating the delimiters as {@code behavior} says. */
    List<NormalizedString> split(SplitPattern pattern, SplitBehavior behavior) {
        List<SplitPattern.Match> matches = pattern.findMatches(normalized);
        List<int[]> spans = new ArrayList<>(); // start, end, remove?
        switch (behavior) {
            case ISOLATED -> matches.forEach(m -> spans.add(new int[] {m.start(), m.end(), 0}));
            case REMOVED -> matches.forEach(m -> spans.add(new int[] {m.start(), m.end(), m.isMatch() ? 1 : 0}));
            case CONTIGUOUS -> {
                boolean previous = false;
                for (SplitPattern.Match m : matches) {
                    if (m.isMatch() == previous && !spans.isEmpty()) {
                        spans.getLast()[1] = m.end();
                    } else {
                        spans.add(new int[] {m.start(), m.end(), 0});
                    }
                    previous = m.isMatch();
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                boolean previous = false;
                for (SplitPattern.Match m : matches) {
                    if (m.isMatch() && !previous && !spans.isEmpty()) {
                        spans.getLast()[1] = m.end();
                    } else {
                        spans.add(new int[] {m.start(), m.end(), 0});
                    }
                    previous = m.isMatch();
                }
            }
            case MERGED_WITH_NEXT -> {
                boolean previous = false;
                for (SplitPattern.Match m : matches.reversed()) {
                    if (m.isMatch() && !previous && !spans.isEmpty()) {
                        spans.getLast()[0] = m.start();
                    } else {
                        spans.add(new int[] {m.start(), m.end(), 0});
                    }
                    previous = m.isMatch();
                }
                java.util.Collections.reverse(spans);
            }
        }
        List<NormalizedString> pieces = new ArrayList<>(spans.size());
        for (int[] span : spans) {
            if (span[2] == 0) {
                pieces.add(slice(span[0], span[1]));
            }
        }
        return pieces;
    }
}
