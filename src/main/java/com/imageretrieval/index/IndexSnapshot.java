package com.imageretrieval.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * An immutable, searchable index: the image records (ordered by path) and their vectors, row i of the matrix
 * belonging to record i. Safe to share between any number of threads; a rebuild makes a new snapshot instead of
 * changing this one, so searches never wait on a build.
 */
public final class IndexSnapshot implements IndexView {

    private final List<ImageRecord> images;
    private final VectorMatrix vectors;
    private final IndexMetadata metadata;
    private final Map<Long, Integer> rowById;
    private final Map<String, Integer> rowByPath;
    private final Map<String, Integer> classCounts;
    /** Label number of each row (index into the sorted labels), so a label filter compares ints in the scan. */
    private final int[] labelOfRow;
    private final Map<String, Integer> labelNumbers;

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
        Map<String, Integer> numbers = new HashMap<>();
        for (String label : counts.keySet()) {
            numbers.put(label, numbers.size());
        }
        this.labelNumbers = numbers;
        this.labelOfRow = new int[this.images.size()];
        for (int i = 0; i < labelOfRow.length; i++) {
            labelOfRow[i] = numbers.get(this.images.get(i).label());
        }
    }

    /** All records, ordered by path. */
    public List<ImageRecord> images() {
        return images;
    }

    @Override
    public int size() {
        return images.size();
    }

    @Override
    public int dimension() {
        return vectors.dimension();
    }

    @Override
    public IndexMetadata metadata() {
        return metadata;
    }

    /** Images per label, sorted by label name. */
    @Override
    public Map<String, Integer> classCounts() {
        return classCounts;
    }

    @Override
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
        return hits(vectors.topK(unitQuery, topK));
    }

    /**
     * The {@code topK} best images among those {@code filter} accepts, best first, in the order of
     * {@link #search(float[], int)}; the filter is applied inside the scan, so this is exact.
     *
     * @throws IllegalArgumentException if the query has another dimension or {@code topK < 0}
     */
    @Override
    public List<SearchHit> search(float[] unitQuery, int topK, SearchFilter filter) {
        return search(unitQuery, topK, filter, -1);
    }

    @Override
    public GalleryPage gallery(String label, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0, got " + offset + ", " + limit);
        }
        boolean all = label == null || label.isEmpty();
        List<ImageRecord> matching = all ? images : images.stream().filter(r -> label.equals(r.label())).toList();
        int from = Math.min(offset, matching.size());
        int to = (int) Math.min(matching.size(), (long) from + limit);
        return new GalleryPage(matching.subList(from, to), matching.size());
    }

    /** This snapshot: it is already in memory. */
    @Override
    public IndexSnapshot inMemory() {
        return this;
    }

    /**
     * "More like this": the images most similar to the stored vector of image {@code id}, the image itself left out
     * (its own copies, if any, stay: they are the most similar other images).
     *
     * @return empty if no image has this id in this snapshot
     * @throws IllegalArgumentException if {@code topK < 0}
     */
    @Override
    public Optional<SimilarImages> similar(long id, int topK, SearchFilter filter) {
        Integer row = rowById.get(id);
        if (row == null) {
            return Optional.empty();
        }
        return Optional.of(new SimilarImages(images.get(row), search(vectors.row(row), topK, filter, row)));
    }

    private List<SearchHit> search(float[] unitQuery, int topK, SearchFilter filter, int excludedRow) {
        SearchFilter f = filter == null ? SearchFilter.NONE : filter;
        IntPredicate rows = null;
        if (f.label() != null) {
            Integer wanted = labelNumbers.get(f.label());
            int label = wanted == null ? -1 : wanted;  // an unknown label matches no row
            rows = excludedRow < 0 ? r -> labelOfRow[r] == label : r -> r != excludedRow && labelOfRow[r] == label;
        } else if (excludedRow >= 0) {
            rows = r -> r != excludedRow;
        }
        return hits(vectors.topK(unitQuery, topK, rows, f.minScore()));
    }

    private List<SearchHit> hits(List<VectorMatrix.Scored> scored) {
        List<SearchHit> hits = new ArrayList<>(scored.size());
        for (int i = 0; i < scored.size(); i++) {
            VectorMatrix.Scored s = scored.get(i);
            hits.add(new SearchHit(i + 1, s.score(), images.get(s.row())));
        }
        return hits;
    }

    /** The vectors, row i belonging to {@code images().get(i)} (analysis code scores all pairs with it). */
    public VectorMatrix vectors() {
        return vectors;
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
