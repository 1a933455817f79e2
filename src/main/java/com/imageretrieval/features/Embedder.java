package com.imageretrieval.features;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns decoded images into L2-normalised feature vectors. Implementations are thread-safe: one instance (one model
 * session) is shared by every search and by the index builder.
 *
 * <p>The work is split in two so that a pipeline can overlap them: {@link #preprocess} is pure CPU work that any
 * thread may run (decode and resize happen before it), {@link #embedPreprocessed} runs the model on a batch.
 */
public interface Embedder extends AutoCloseable {

    /** Length of every vector this embedder returns (2048 for ResNet-50). */
    int dimension();

    /**
     * Model runs that go side by side without slowing each other down ({@link Threading}); {@link #embedPreprocessed}
     * lets this many run at once and queues the rest, and an index build keeps this many batches in flight.
     */
    default int parallelRuns() {
        return 1;
    }

    /** Model runs so far by how many cores they had ({@link Threading}); embedders without that notion count none. */
    default RunCount runCount() {
        return RunCount.NONE;
    }

    /** The execution device actually in use: "cpu" or "cuda". */
    String device();

    /** File name of the model, for the index metadata and /api/stats. */
    String modelName();

    /** SHA-256 (hex) of the model file: vectors made with another hash are stale. */
    String modelHash();

    /** Image to the model's input tensor for one image (for ResNet-50: 3x224x224 floats, CHW). */
    float[] preprocess(BufferedImage image);

    /** Runs the model on tensors made by {@link #preprocess}; one unit-length vector per tensor, in order. */
    float[][] embedPreprocessed(List<float[]> tensors);

    default float[] embed(BufferedImage image) {
        return embedPreprocessed(List.of(preprocess(image)))[0];
    }

    default List<float[]> embed(List<BufferedImage> images) {
        List<float[]> tensors = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            tensors.add(preprocess(image));
        }
        return List.of(embedPreprocessed(tensors));
    }

    @Override
    void close();
}
