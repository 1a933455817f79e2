package com.imageretrieval.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable, searchable index: the image records (ordered by path) and their vectors, row i of the matrix
 * belonging to record i. Safe to share between any number of threads; a rebuild makes a new snapshot instead of
 * changing this one, so searches never wait on a build.
 */
public final class IndexSnapshot {

    private final List<ImageRecord> images;
    private final VectorMatrix vectors;
    private final IndexMetadata metadata;
    private final Map<Long, Integer> rowById;
    private final Map<String, Integer> rowByPath;
    private final Map<String, Integer> classCounts;

    /**
     * @param images   records, row order of {@code vectors}
     * @param vectors  one unit vector per record
     * @param metadata what the index was built with
     */
    public IndexSnapshot(List<ImageRecord> images, VectorMatrix vectors, IndexMetadata metadata) {
        if (images.size() != vectors.rows()) {
            throw new IllegalArgumentException(images.size() + " records but " + vectors.rows() + " vectors");
        }
        if (metadata.dimension() != vectors.dimension()) {
            throw new IllegalArgumentException("metadata says dimension " + metadata.dimension() + ", vectors have "
                    + vectors.dimension());
        }
        this.images = List.copyOf(images);
        this.vectors = vectors;
        this.metadata = metadata;
        Map<Long, Integer> byId = new HashMap<>(images.size() * 2);
        Map<String, Integer> byPath = new HashMap<>(images.size() * 2);
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < this.images.size(); i++) {
            ImageRecord r = this.images.get(i);
            byId.put(r.id(), i);
            byPath.put(r.path(), i);
            counts.merge(r.label(), 1, Integer::sum);
        }
        this.rowById = byId;
        this.rowByPath = byPath;
        this.classCounts = Collections.unmodifiableMap(counts);
    }

    /** All records, ordered by path. */
    public List<ImageRecord> images() {
        return images;
    }

    public int size() {
        return images.size();
    }

    public int dimension() {
        return vectors.dimension();
    }

    public IndexMetadata metadata() {
        return metadata;
    }

    /** Images per label, sorted by label name. */
    public Map<String, Integer> classCounts() {
        return classCounts;
    }

    public Optional<ImageRecord> byId(long id) {
        Integer row = rowById.get(id);
        return row == null ? Optional.empty() : Optional.of(images.get(row));
    }

    public Optional<ImageRecord> byPath(String path) {
        Integer row = rowByPath.get(path);
        return row == null ? Optional.empty() : Optional.of(images.get(row));
    }

    /** Row of an image id (for "more like this": {@code search(vector(row), k)}). */
    public Optional<Integer> rowOf(long id) {
        return Optional.ofNullable(rowById.get(id));
    }

    /**
     * The {@code topK} images most similar to a unit-length query, best first (rank 1), ties by path order.
     *
     * @throws IllegalArgumentException if the query has another dimension or {@code topK < 0}
     */
    public List<SearchHit> search(float[] unitQuery, int topK) {
        List<VectorMatrix.Scored> scored = vectors.topK(unitQuery, topK);
        List<SearchHit> hits = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            VectorMatrix.Scored s = scored.get(i);
            hits.add(new SearchHit(i + 1, s.score(), images.get(s.row())));
        }
        return hits;
    }

    /** A copy of the vector of row {@code row}. */
    public float[] vector(int row) {
        return vectors.row(row);
    }

    @Override
    public String toString() {
        return "IndexSnapshot[" + size() + " images, " + metadata + "]";
    }
}
