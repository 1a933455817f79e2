package com.imageretrieval.analysis;

/**
 * Mean retrieval quality over a set of leave-one-out queries (see {@link RetrievalEvaluation} for the definitions).
 *
 * @param p1      mean precision at 1
 * @param p5      mean precision at 5
 * @param p10     mean precision at 10
 * @param map     mean average precision
 * @param queries how many queries the means are over
 */
public record RetrievalMetrics(double p1, double p5, double p10, double map, int queries) {
}
