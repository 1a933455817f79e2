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
}
