package com.imageretrieval.engine;

import com.imageretrieval.index.IndexMetadata;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Figures of the searchable index, the same in every backend (/api/stats, the gallery's class list).
 *
 * @param images      images in the index
 * @param dimension   vector dimension
 * @param metadata    what it was built with
 * @param classCounts images per label, sorted by label
 */
public record IndexStats(int images, int dimension, IndexMetadata metadata, Map<String, Integer> classCounts) {
    public IndexStats {
        classCounts = Collections.unmodifiableMap(new TreeMap<>(classCounts));
    }
}
