package com.imageretrieval.index;

/**
 * The changes of one build. Nothing is final before {@link #commit}; closing without a commit abandons the build
 * (the h2 backend rolls its transaction back; the opensearch backend drops a half-built new index, while changes to
 * the live index of the same model stay, which is harmless: they are what the next build would write again).
 *
 * <p>Used by one thread at a time (the builder's consumer thread).
 */
public interface IndexWriter extends AutoCloseable {

    /** A new image; the backend assigns its id. */
    void insert(ImageRecord r, float[] vector, String modelHash) throws IndexStoreException;

    /** New content (or a new model's vector) for a stored image; keeps its id. */
    void update(long id, ImageRecord r, float[] vector, String modelHash) throws IndexStoreException;

    /** Same content, new size/mtime (e.g. the file was copied): the vector is kept. */
    void touch(long id, long size, long mtime) throws IndexStoreException;

    void delete(long id) throws IndexStoreException;

    /** Hands what is queued to the backend (not yet final); a backend may keep a bounded buffer until commit. */
    void flush() throws IndexStoreException;

    /** Makes the whole build final and records what it was built with. */
    void commit(IndexMetadata metadata) throws IndexStoreException;

    @Override
    void close();
}
