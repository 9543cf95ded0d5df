package io.lpu4j.tokenizer;

import java.util.Arrays;

/**
 * Decodes a generation one id at a time. Each step decodes a short window of recent ids and returns
 * what it adds to the window's previous text (as HF's DecodeStream), so decoders that look at
 * neighbours (the leading space of "▁there", "##" pieces) see them. While the text ends in an
 * incomplete UTF-8 sequence (U+FFFD) it returns "" and waits: only whole chars are ever emitted.
 * (Bytes that can never form a char wait too, until a later id ends the text cleanly, or
 * {@link #flush}.) Concatenating every {@link #next} and then {@link #flush} gives {@code decode} of
 * all ids. One per generation; not thread-safe.
 */
public final class StreamDecoder {
    /** Prompt ids kept as context by {@link #prime}. */
    private static final int PRIME_CONTEXT = 4;

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[64];
    private int size;
    /** The window decoded at each step starts here. */
    private int windowStart;
    /** Ids from here on have not been emitted yet. */
    private int readStart;
    /** The text of ids [windowStart, readStart). */
    private String prefix = "";

    StreamDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Context only: the prompt's text is not emitted, but the next id is decoded as following it. */
    public void prime(int[] promptIds) {
        for (int id : promptIds) {
            append(id);
        }
        windowStart = Math.max(0, size - PRIME_CONTEXT);
        readStart = size;
        prefix = decode(windowStart, readStart);
    }

    /** The new text {@code id} completes; "" while a UTF-8 sequence is incomplete. */
    public String next(int id) {
        append(id);
        String text = decode(windowStart, size);
        return endsIncomplete(text) ? "" : emit(text, size);
    }

    /** Whatever is still pending (an incomplete sequence at the end of the generation). */
    public String flush() {
        return emit(decode(windowStart, size), size);
    }

    private String emit(String text, int upTo) {
        if (text.length() <= prefix.length() && text.startsWith(prefix)) {
            return ""; // nothing new yet (e.g. a skipped special token)
        }
        int common = commonPrefixLength(prefix, text);
        String out = text.substring(common);
        windowStart = readStart;
        readStart = upTo;
        prefix = decode(windowStart, readStart);
        return out;
    }

    private static int commonPrefixLength(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    private static boolean endsIncomplete(String text) {
        return !text.isEmpty() && text.charAt(text.length() - 1) == '\uFFFD';
    }

    private String decode(int from, int to) {
        return tokenizer.decode(ids, from, to, skipSpecialTokens);
    }

    private void append(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }
}
