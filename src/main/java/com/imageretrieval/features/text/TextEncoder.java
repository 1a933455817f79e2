package com.imageretrieval.features.text;

/**
 * Maps a text query into the image encoder's embedding space (the text half of a CLIP-style dual encoder).
 * Implementations are thread-safe.
 */
public interface TextEncoder extends AutoCloseable {

    /** Length of every vector {@link #embed} returns; must equal the image embedder's. */
    int dimension();

    /** File name of the text model, for logs and messages. */
    String modelName();

    /** The L2-normalised embedding of {@code text}. */
    float[] embed(String text);

    @Override
    void close();
}
