package com.imageretrieval.index;

import java.util.Map;
import java.util.Optional;

/**
 * Where the index lives: the system of record for vectors and image metadata, and what serves searches.
 * {@code INDEX_BACKEND=h2} is {@link IndexStore} (an embedded file, loaded as an in-memory {@link IndexSnapshot});
 * {@code INDEX_BACKEND=opensearch} is {@link com.imageretrieval.index.opensearch.OpenSearchIndex} (a k-NN index in a
 * cluster shared by several app nodes). {@link IndexBuilder} writes to either through {@link IndexWriter}.
 */
public interface IndexBackend extends AutoCloseable {

    /** For messages ("no index found at ..."): the file, or the index name and the cluster. */
    String location();

    /**
     * The searchable index as last committed; empty if no build was ever committed.
     *
     * @throws IndexStoreException if it cannot be read (corrupt file, cluster unreachable); the message says which
     */
    Optional<? extends IndexView> load() throws IndexStoreException;

    /** Every stored image (without vectors), by path, for an incremental build. */
    Map<String, StoredImage> storedImages() throws IndexStoreException;

    /**
     * Starts the one writer of a build with the given model. A backend may build into a new place when the model
     * differs from the committed one (opensearch: a new physical index behind the alias), so that searches never see
     * a mix of two models' vectors.
     */
    IndexWriter beginWrite(String modelHash, int dimension) throws IndexStoreException;

    /**
     * If another process is building this index now (opensearch: another node holds the build lease), what to tell
     * whoever asked for a build; empty if this process may build. A hint, not a lock: {@link #beginWrite} decides.
     */
    default Optional<String> buildingElsewhere() throws IndexStoreException {
        return Optional.empty();
    }

    /**
     * True if other processes write this index too (opensearch: several app nodes), so that an index this process
     * did not build can appear at any time and is worth looking for again.
     */
    default boolean shared() {
        return false;
    }

    @Override
    void close();
}
