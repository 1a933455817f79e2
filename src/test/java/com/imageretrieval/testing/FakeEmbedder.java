package com.imageretrieval.testing;

import com.imageretrieval.features.Embedder;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A deterministic stand-in for the ONNX model, designed so that similar colours give similar vectors: mean R, G, B
 * plus an 8-bin colour histogram (each channel above or below half) and a small constant (so black is not a zero
 * vector), L2-normalised. {@link #preprocess} samples an 8x8 grid, the "tensor" being its 192 RGB values in [0, 1].
 */
public final class FakeEmbedder implements Embedder {

    public static final int DIMENSION = 12;
    static final int GRID = 8;

    private final String modelHash;
    private final AtomicInteger embedded = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();
    private volatile IntConsumer beforeBatch = n -> { };
    private volatile boolean closed;
    private volatile int parallelRuns = 1;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostRunning = new AtomicInteger();

    public FakeEmbedder(String modelHash) {
        this.modelHash = modelHash;
    }

    /** Runs before each model batch with the number of images embedded so far (throw to simulate a crash). */
    public FakeEmbedder beforeBatch(IntConsumer hook) {
        this.beforeBatch = hook;
        return this;
    }

    /** What {@link #parallelRuns()} answers (how many batches a builder keeps in flight). */
    public FakeEmbedder parallelRuns(int n) {
        this.parallelRuns = n;
        return this;
    }

    /** The most {@link #embedPreprocessed} calls that were running at the same moment. */
    public int mostRunningAtOnce() {
        return mostRunning.get();
    }

    @Override
    public int parallelRuns() {
        return parallelRuns;
    }

    /** Images run through {@link #embedPreprocessed} so far. */
    public int embeddedCount() {
        return embedded.get();
    }

    public int batchCount() {
        return batches.get();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String device() {
        return "cpu";
    }

    @Override
    public String modelName() {
        return "fake-colour.onnx";
    }

    @Override
    public String modelHash() {
        return modelHash;
    }

    @Override
    public float[] preprocess(BufferedImage image) {
        float[] t = new float[GRID * GRID * 3];
        int w = image.getWidth();
        int h = image.getHeight();
        int i = 0;
        for (int gy = 0; gy < GRID; gy++) {
            for (int gx = 0; gx < GRID; gx++) {
                int rgb = image.getRGB(Math.min(w - 1, (2 * gx + 1) * w / (2 * GRID)),
                        Math.min(h - 1, (2 * gy + 1) * h / (2 * GRID)));
                t[i++] = ((rgb >> 16) & 0xff) / 255f;
                t[i++] = ((rgb >> 8) & 0xff) / 255f;
                t[i++] = (rgb & 0xff) / 255f;
            }
        }
        return t;
    }

    @Override
    public float[][] embedPreprocessed(List<float[]> tensors) {
        mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
            beforeBatch.accept(embedded.get());
            float[][] out = new float[tensors.size()][];
            for (int n = 0; n < tensors.size(); n++) {
                out[n] = vectorOf(tensors.get(n));
            }
            embedded.addAndGet(tensors.size());
            batches.incrementAndGet();
            return out;
        } finally {
            running.decrementAndGet();
        }
    }

    /** The vector of one tensor (public so tests can compute expectations). */
    public static float[] vectorOf(float[] t) {
        float[] v = new float[DIMENSION];
        int pixels = t.length / 3;
        for (int p = 0; p < pixels; p++) {
            float r = t[3 * p];
            float g = t[3 * p + 1];
            float b = t[3 * p + 2];
            v[0] += r / pixels;
            v[1] += g / pixels;
            v[2] += b / pixels;
            int bin = (r > 0.5f ? 4 : 0) | (g > 0.5f ? 2 : 0) | (b > 0.5f ? 1 : 0);
            v[3 + bin] += 1f / pixels;
        }
        v[11] = 0.05f;
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    @Override
    public void close() {
        closed = true;
    }
}
