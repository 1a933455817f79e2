package com.imageretrieval.index.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The best {@code k} (row, score) pairs of a scan, kept in a bounded min-heap whose root is the worst kept entry: most
 * rows are rejected by one comparison and only k entries are ever ordered. Primitive arrays, no boxing per row.
 *
 * <p>Order: score descending ({@link Float#compare}), ties by lower row, exactly as a full sort would give. Not
 * thread-safe: one per scanning thread, merged with {@link #addAll}.
 */
public final class TopK {

    /** Makes the caller's result type from one kept entry (the index's is {@code VectorMatrix.Scored}). */
    @FunctionalInterface
    public interface Entry<T> {
        T of(int row, float score);
    }

    private final int[] rows;
    private final float[] scores;
    private final int capacity;
    private int size;

    /** @param capacity k, at least 1 */
    public TopK(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.rows = new int[capacity];
        this.scores = new float[capacity];
    }

    public int size() {
        return size;
    }

    /** True if (s1, r1) ranks below (s2, r2): lower score, or same score and higher row. */
    private static boolean worse(float s1, int r1, float s2, int r2) {
        int c = Float.compare(s1, s2);
        return c < 0 || (c == 0 && r1 > r2);
    }

    /** Keeps the pair if there is room or it beats the worst kept one. */
    public void offer(int row, float score) {
        if (size < capacity) {
            int i = size++;
            rows[i] = row;
            scores[i] = score;
            siftUp(i);
        } else if (worse(scores[0], rows[0], score, row)) {
            rows[0] = row;
            scores[0] = score;
            siftDown(0);
        }
    }

    /** Offers everything another heap kept (merging per-thread results). */
    public void addAll(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.rows[i], other.scores[i]);
        }
    }

    /** Empties the heap into an unmodifiable list, best first (pops come worst first, so the list is reversed). */
    public <T> List<T> drainBestFirst(Entry<T> entry) {
        List<T> out = new ArrayList<>(size);
        while (size > 0) {
            out.add(entry.of(rows[0], scores[0]));
            size--;
            if (size > 0) {
                rows[0] = rows[size];
                scores[0] = scores[size];
                siftDown(0);
            }
        }
        Collections.reverse(out);
        return Collections.unmodifiableList(out);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(scores[i], rows[i], scores[parent], rows[parent])) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int worst = l;
            int r = l + 1;
            if (r < size && worse(scores[r], rows[r], scores[l], rows[l])) {
                worst = r;
            }
            if (!worse(scores[worst], rows[worst], scores[i], rows[i])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int i, int j) {
        int tr = rows[i];
        rows[i] = rows[j];
        rows[j] = tr;
        float ts = scores[i];
        scores[i] = scores[j];
        scores[j] = ts;
    }
}
