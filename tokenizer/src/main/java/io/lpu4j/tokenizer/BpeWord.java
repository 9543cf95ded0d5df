package io.lpu4j.tokenizer;

import java.util.Arrays;

/**
 * One word during BPE: a doubly linked list of symbols, merged lowest rank first (ties: leftmost)
 * through a min-heap of candidate pairs, as HF's word.rs does. Stale heap entries are skipped.
 */
final class BpeWord {
    private int[] id = new int[8];
    private int[] start = new int[8];
    private int[] end = new int[8];
    private int[] prev = new int[8];
    private int[] next = new int[8];
    private int size;

    /** Appends a symbol covering [from, to) of the piece. */
    void add(int symbolId, int from, int to) {
        if (size == id.length) {
            int n = size * 2;
            id = Arrays.copyOf(id, n);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            prev = Arrays.copyOf(prev, n);
            next = Arrays.copyOf(next, n);
        }
        id[size] = symbolId;
        start[size] = from;
        end[size] = to;
        prev[size] = size - 1;
        next[size] = size + 1;
        size++;
    }

    void mergeAll(MergeTable merges) {
        if (size < 2) {
            return;
        }
        next[size - 1] = -1;
        // Heap entries: rank << 32 | position, so the smallest rank, then the leftmost, pops first.
        long[] heap = new long[size];
        int heapSize = 0;
        for (int i = 0; i + 1 < size; i++) {
            long m = merges.get(id[i], id[i + 1]);
            if (m >= 0) {
                heap[heapSize++] = (m & 0xFFFFFFFF00000000L) | i;
            }
        }
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(heap, heapSize, i);
        }
        while (heapSize > 0) {
            long top = heap[0];
            heap[0] = heap[--heapSize];
            siftDown(heap, heapSize, 0);
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            int right = next[pos];
            if (id[pos] < 0 || right < 0) {
                continue;
            }
            long m = merges.get(id[pos], id[right]);
            if (m < 0 || (int) (m >>> 32) != rank) {
                continue; // this pair changed since the entry was pushed
            }
            id[pos] = (int) m;
            end[pos] = end[right];
            next[pos] = next[right];
            id[right] = -1;
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                long pm = merges.get(id[prev[pos]], id[pos]);
                if (pm >= 0) {
                    heap = push(heap, heapSize++, (pm & 0xFFFFFFFF00000000L) | prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                long nm = merges.get(id[pos], id[next[pos]]);
                if (nm >= 0) {
                    heap = push(heap, heapSize++, (nm & 0xFFFFFFFF00000000L) | pos);
                }
            }
        }
    }

    /** The merged symbols as (id, start, end) triples. */
    int[] symbols() {
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (id[i] >= 0) {
                count++;
            }
        }
        int[] out = new int[count * 3];
        int k = 0;
        for (int i = 0; i < size; i++) {
            if (id[i] >= 0) {
                out[k++] = id[i];
                out[k++] = start[i];
                out[k++] = end[i];
            }
        }
        return out;
    }

    private static long[] push(long[] heap, int size, long value) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, Math.max(4, size * 2));
        }
        int i = size;
        heap[i] = value;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= heap[i]) {
                break;
            }
            long t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
        return heap;
    }

    private static void siftDown(long[] heap, int size, int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int smallest = l + 1 < size && heap[l + 1] < heap[l] ? l + 1 : l;
            if (heap[i] <= heap[smallest]) {
                return;
            }
            long t = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = t;
            i = smallest;
        }
    }
}
