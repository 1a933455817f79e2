package com.imageretrieval.analysis;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leave-one-out retrieval quality of one index snapshot (see {@link RetrievalEvaluation}).
 *
 * @param overall     means over all queries
 * @param perClass    means over the queries of each label, sorted by label
 * @param confusion   query label -&gt; label of its top-1 result -&gt; count; sorted by label, zero counts left out
 * @param images      labelled images evaluated (the queries and the ranked collection)
 * @param queries     images used as queries: the labelled images whose label has at least one other image
 * @param unlabelled  images left out entirely because they have no label (files at the dataset root)
 * @param millis      time taken
 * @param generatedAt when it was computed
 */
public record EvaluationResult(RetrievalMetrics overall, Map<String, RetrievalMetrics> perClass,
                               Map<String, Map<String, Integer>> confusion, int images, int queries, int unlabelled,
                               long millis, Instant generatedAt) {

    public EvaluationResult {
        perClass = Collections.unmodifiableMap(new TreeMap<>(perClass));
        TreeMap<String, Map<String, Integer>> c = new TreeMap<>();
        confusion.forEach((k, v) -> c.put(k, Collections.unmodifiableMap(new TreeMap<>(v))));
        confusion = Collections.unmodifiableMap(c);
    }
}
