package io.lpu4j.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** An encoding while it is being built: tokens are appended, then truncated, post-processed and padded. */
final class EncodingBuilder {
    private int[] ids = new int[16];
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private int[] typeIds = new int[16];
    private int[] attention = new int[16];
    private int[] special = new int[16];
    private final List<String> tokens = new ArrayList<>();

    int size() {
        return tokens.size();
    }

    void add(int id, String token, int start, int end, int typeId, boolean isSpecial, boolean attended) {
        int n = tokens.size();
        if (n == ids.length) {
            int cap = n * 2;
            ids = Arrays.copyOf(ids, cap);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            typeIds = Arrays.copyOf(typeIds, cap);
            attention = Arrays.copyOf(attention, cap);
            special = Arrays.copyOf(special, cap);
        }
        ids[n] = id;
        starts[n] = start;
        ends[n] = end;
        typeIds[n] = typeId;
        attention[n] = attended ? 1 : 0;
        special[n] = isSpecial ? 1 : 0;
        tokens.add(token);
    }

    /** Appends token {@code i} of {@code other}. */
    void addFrom(EncodingBuilder other, int i) {
        add(other.ids[i], other.tokens.get(i), other.starts[i], other.ends[i], other.typeIds[i], other.special[i] == 1,
                other.attention[i] == 1);
    }

    String token(int i) {
        return tokens.get(i);
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    void setOffsets(int i, int start, int end) {
        starts[i] = start;
        ends[i] = end;
    }

    void setTypeIds(int typeId) {
        Arrays.fill(typeIds, 0, size(), typeId);
    }

    /** Keeps {@code length} tokens: the first ones, or the last ones when {@code fromLeft}. */
    EncodingBuilder truncated(int length, boolean fromLeft) {
        if (length >= size()) {
            return this;
        }
        EncodingBuilder out = new EncodingBuilder();
        int first = fromLeft ? size() - length : 0;
        for (int i = first; i < first + length; i++) {
            out.addFrom(this, i);
        }
        return out;
    }

    int[] ids() {
        return Arrays.copyOf(ids, size());
    }

    Encoding build() {
        int n = size();
        List<Encoding.Offset> offsets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            offsets.add(new Encoding.Offset(starts[i], ends[i]));
        }
        return new Encoding(ids(), List.copyOf(tokens), List.copyOf(offsets), Arrays.copyOf(typeIds, n),
                Arrays.copyOf(attention, n), Arrays.copyOf(special, n));
    }
}
