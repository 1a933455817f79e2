package com.imageretrieval.index;

/**
 * One search result.
 *
 * @param rank       1 for the most similar image
 * @param similarity cosine similarity in [-1, 1]
 * @param image      the matching image
 */
public record SearchHit(int rank, float similarity, ImageRecord image) {
}
