package com.imageretrieval.index;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** TEMP stand-in (owned by the index helper): an empty snapshot. */
public final class IndexSnapshot {
    public List<ImageRecord> images() { return List.of(); }
    public int size() { return 0; }
    public int dimension() { return 0; }
    public IndexMetadata metadata() { return null; }
    public Map<String, Integer> classCounts() { return Map.of(); }
    public Optional<ImageRecord> byId(long id) { return Optional.empty(); }
    public Optional<ImageRecord> byPath(String p) { return Optional.empty(); }
    public List<SearchHit> search(float[] unitQuery, int topK) { return List.of(); }
    public float[] vector(int row) { return new float[0]; }
}
