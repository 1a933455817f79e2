package com.imageretrieval.analysis;

import java.time.Instant;
import java.util.List;

/**
 * The near-duplicate groups of one index snapshot.
 *
 * @param threshold   the cosine similarity at or above which two images are near-identical
 * @param images      images in the index
 * @param pairs       pairs with similarity {@code >= threshold} (each unordered pair counted once)
 * @param groups      largest first, then by the first member's path
 * @param millis      time taken
 * @param generatedAt when it was computed
 */
public record DuplicateReport(double threshold, int images, long pairs, List<DuplicateGroup> groups, long millis,
                              Instant generatedAt) {

    public DuplicateReport {
        groups = List.copyOf(groups);
    }
}
