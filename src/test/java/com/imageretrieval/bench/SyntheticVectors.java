package com.imageretrieval.bench;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Structured synthetic feature vectors for scan benchmarks and recall tests: uniform random vectors would make every
 * neighbour nearly equidistant and recall meaningless, so rows are drawn around cluster centres like real image
 * features (classes), with noise, made non-negative (pooled ReLU outputs are) and L2-normalised.
 *
 * <p>Row r depends only on (seed, r): generation is deterministic and runs in parallel. Queries come from the same
 * distribution but a disjoint stream, so they are near, not equal to, indexed rows.
 */
public final class SyntheticVectors {

    private final int dim;
    private final int clusters;
    private final float noise;
    private final long seed;
    private final float[] centres;

    /**
     * @param clusters number of centres (think classes)
     * @param noise    standard deviation of the per-component noise relative to the centres' (|N(0,1)|) scale
     */
    public SyntheticVectors(int dim, int clusters, float noise, long seed) {
        this.dim = dim;
        this.clusters = clusters;
        this.noise = noise;
        this.seed = seed;
        this.centres = new float[clusters * dim];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < centres.length; i++) {
            // Sparse-ish positive centres: a third of the components carry most of the weight, like ReLU features.
            double g = Math.abs(rnd.nextGaussian());
            centres[i] = (float) (rnd.nextInt(3) == 0 ? 2 * g : 0.3 * g);
        }
    }

    /** Defaults used by the benchmarks: 2048-d, one cluster per ~100 rows (at least 16), noise 0.5. */
    public static SyntheticVectors forRows(int rows, long seed) {
        return new SyntheticVectors(2048, Math.max(16, Math.min(10_000, rows / 100)), 0.5f, seed);
    }

    public int dimension() {
        return dim;
    }

    /** The cluster (think class) that row {@code index} is drawn around, in 0 .. clusters - 1. */
    public int cluster(long index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index).nextInt(clusters);
    }

    /** Writes the unit vector of stream position {@code index} into {@code out[offset .. offset + dim)}. */
    public void fill(long index, float[] out, int offset) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int c = rnd.nextInt(clusters) * dim;
        double norm = 0;
        // Uniform noise with the requested standard deviation (sqrt(3) * U(-1,1) has variance 1); two 32-bit
        // uniforms per 64 random bits keep generating 1M x 2048 at seconds, not minutes.
        float amp = noise * 1.7320508f / 2147483648f;
        long bits = 0;
        for (int d = 0; d < dim; d++) {
            if ((d & 1) == 0) {
                bits = rnd.nextLong();
            }
            int u = (d & 1) == 0 ? (int) bits : (int) (bits >>> 32);
            float x = Math.max(0f, centres[c + d] + amp * u);
            out[offset + d] = x;
            norm += (double) x * x;
        }
        float inv = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dim; d++) {
            out[offset + d] *= inv;
        }
    }

    /** A row-major matrix of {@code rows} unit vectors (rows 0..rows-1 of the stream), filled on all cores. */
    public float[] matrix(int rows) {
        if ((long) rows * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + " x " + dim + " floats do not fit one Java array");
        }
        float[] m = new float[rows * dim];
        IntStream.range(0, rows).parallel().forEach(r -> fill(r, m, r * dim));
        return m;
    }

    /** {@code count} query vectors from a stream disjoint from the rows. */
    public float[][] queries(int count) {
        float[][] q = new float[count][dim];
        for (int i = 0; i < count; i++) {
            fill((1L << 40) + i, q[i], 0);
        }
        return q;
    }
}
