package com.imageretrieval.index.compact;

/**
 * Where the exact float32 vectors come from for the re-rank. Deliberately tiny so that the floats may live anywhere:
 * the in-memory matrix, a memory-mapped file, or the H2 index read row by row; compact mode only needs about
 * {@code candidates} of them per query.
 */
@FunctionalInterface
public interface FloatVectorSource {

    /** The float32 vector of {@code row} (0-based, the row order of the index). Callers do not modify it. */
    float[] vector(int row);

    /**
     * The exact score of {@code row} for {@code query}: the dot product of unit vectors. The default sums
     * {@code query[i] * vector[i]} in index order. A source backed by the engine's float matrix should override it
     * with the matrix's own dot product (no copy, and scores bit-identical to the exact mode's, so both modes order
     * equal candidates the same way).
     */
    default float dot(int row, float[] query) {
        float[] v = vector(row);
        if (v == null || v.length != query.length) {
            throw new IllegalArgumentException("row " + row + ": expected a vector of dimension " + query.length
                    + ", got " + (v == null ? "none" : "dimension " + v.length));
        }
        float s = 0f;
        for (int i = 0; i < v.length; i++) {
            s += query[i] * v[i];
        }
        return s;
    }
}
