package com.imageretrieval.index.compact;

import java.util.Arrays;

/**
 * Partial top-N selection over (score, row) pairs without boxing: a bounded min-heap whose root is the worst kept
 * entry, so most rows of a scan are rejected by one comparison. Order: higher score first, then lower row first,
 * which makes the result identical to a full sort with that comparator. Not thread-safe: one per scanning thread.
 */
public final class TopRows {

    private final float[] scores;
    private final int[] rows;
    private int size;

    public TopRows(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        scores = new float[capacity];
        rows = new int[capacity];
    }

    public int size() {
        return size;
    }

    /** Offers a candidate; keeps it if it beats the worst kept one (or there is room). */
    public void offer(float score, int row) {
        if (size < scores.length) {
            scores[size] = score;
            rows[size] = row;
            siftUp(size++);
        } else if (better(score, row, scores[0], rows[0])) {
            scores[0] = score;
            rows[0] = row;
            siftDown(0);
        }
    }

    /** Adds everything another selector kept (merging per-thread results). */
    public void addAll(TopRows other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.scores[i], other.rows[i]);
        }
    }

    /** The kept rows, best first. */
    public ScoredRow[] sorted() {
        ScoredRow[] out = new ScoredRow[size];
        for (int i = 0; i < size; i++) {
            out[i] = new ScoredRow(rows[i], scores[i]);
        }
        Arrays.sort(out, TopRows::compareBestFirst);
        return out;
    }

    public static int compareBestFirst(ScoredRow a, ScoredRow b) {
        int c = Float.compare(b.score(), a.score());
        return c != 0 ? c : Integer.compare(a.row(), b.row());
    }

    /** True when (s1, r1) ranks before (s2, r2). */
    private static boolean better(float s1, int r1, float s2, int r2) {
        return s1 > s2 || (s1 == s2 && r1 < r2);
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!better(scores[parent], rows[parent], scores[i], rows[i])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int worst = left;
            int right = left + 1;
            if (right < size && better(scores[worst], rows[worst], scores[right], rows[right])) {
                worst = right;
            }
            if (!better(scores[i], rows[i], scores[worst], rows[worst])) {
                return;
            }
            swap(i, worst);
            i = worst;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int r = rows[a];
        rows[a] = rows[b];
        rows[b] = r;
    }
}
