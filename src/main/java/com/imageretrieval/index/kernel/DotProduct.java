package com.imageretrieval.index.kernel;

/**
 * The float dot products every exact search and every all-pairs analysis ranks by. One implementation serves the
 * whole JVM ({@link KernelProvider#dotProduct()}), so a value is the same in every call and on every thread.
 */
public interface DotProduct {

    /**
     * Row {@code a[offset .. offset + dimension)} . {@code q}.
     *
     * @param scratch from {@link #newScratch()}, owned by the calling thread (never shared between threads)
     */
    float dot(float[] a, int offset, float[] q, int dimension, float[] scratch);

    /** Scratch for one thread's calls of {@link #dot}; null when the kernel needs none. */
    float[] newScratch();

    /**
     * Scores a block of row pairs of one row-major matrix {@code a} ({@code dimension} floats per row):
     * {@code out[(i - i0) * (j1 - j0) + (j - j0)] = row i . row j} for i in [i0, i1), j in [j0, j1). Bounds are the
     * caller's to check.
     *
     * <p>One scalar implementation for every kernel, on purpose: the all-pairs analyses need the value of a pair to
     * be symmetric ({@code i.j == j.i} exactly) and independent of the block it was computed in, which the 2 x 2
     * register tiling below guarantees by using one fixed summation order (even and odd positions summed apart,
     * then added). It may differ from {@link #dot} in the last bits.
     */
    default void dotBlock(float[] a, int dimension, int i0, int i1, int j0, int j1, float[] out) {
        ScalarDotProduct.block(a, dimension, i0, i1, j0, j1, out);
    }

    /** Human-readable kernel name for logs and benchmarks: "vector-api 16 lanes" or "scalar". */
    String name();
}
