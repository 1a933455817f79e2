package com.imageretrieval.index;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The searchable side of an index, the same for every backend: what the engine (and through it the API and the CLI)
 * reads. The h2 backend answers from an immutable in-memory {@link IndexSnapshot}; the opensearch backend answers
 * from the cluster. Implementations are thread-safe.
 *
 * <p>Methods of a remote backend may throw {@link IndexUnavailableException} when the cluster does not answer.
 */
public interface IndexView {

    /** What the index was built with (model name and hash, dimension, build time, count). */
    IndexMetadata metadata();

    /** Images in the index. */
    int size();

    /** Dimension of the stored vectors. */
    int dimension();

    /** Images per label, sorted by label name. */
    Map<String, Integer> classCounts();

    Optional<ImageRecord> byId(long id);

    /**
     * The {@code topK} best images among those {@code filter} accepts, best first (rank 1). The filter is applied
     * inside the search, so a filtered search still returns {@code topK} images when that many pass.
     *
     * @throws IllegalArgumentException if the query has another dimension or {@code topK < 0}
     */
    List<SearchHit> search(float[] unitQuery, int topK, SearchFilter filter);

    /**
     * "More like this": the images most similar to the stored vector of image {@code id}, the image itself left out.
     *
     * @return the image and its neighbours; empty if no image has this id
     */
    Optional<SimilarImages> similar(long id, int topK, SearchFilter filter);

    /**
     * One page of the images ordered by path, of one label or of all ({@code label} null or empty).
     *
     * @throws IllegalArgumentException if {@code offset < 0} or {@code limit < 0}
     */
    GalleryPage gallery(String label, int offset, int limit);

    /**
     * All records and vectors in memory, for the analyses (near-duplicates, leave-one-out evaluation) that score
     * every image against every other.
     *
     * @throws IndexStoreException if the vectors cannot be read (or there are too many to hold, see the backend)
     */
    IndexSnapshot inMemory() throws IndexStoreException;
}
