package com.imageretrieval.index.compact;

/** A row of the index and its score: the exact cosine after a re-rank. */
public record ScoredRow(int row, float score) {
}
