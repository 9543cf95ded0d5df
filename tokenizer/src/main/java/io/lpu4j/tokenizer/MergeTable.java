package io.lpu4j.tokenizer;

/**
 * BPE merges: (left id, right id) -> (rank, merged id), in an open-addressing table of longs, since
 * this lookup is the inner loop of BPE and boxed map keys would dominate it.
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    /** A later merge of the same pair replaces the earlier one, as in HF's map. */
    void put(int left, int right, int rank, int merged) {
        long key = key(left, right);
        int i = slot(key);
        while (keys[i] != EMPTY && keys[i] != key) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = (long) rank << 32 | (merged & 0xFFFFFFFFL);
    }

    /** (rank << 32 | merged id), or -1 when the pair does not merge. */
    long get(int left, int right) {
        long key = key(left, right);
        int i = slot(key);
        while (true) {
            long k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    private static long key(int left, int right) {
        return (long) left << 32 | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }
}
