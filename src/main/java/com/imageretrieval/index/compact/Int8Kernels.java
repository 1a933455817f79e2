package com.imageretrieval.index.compact;

/**
 * The inner loop of the compact scan: dot product of a float query with one row of int8 codes.
 *
 * <p>Two implementations. With the incubating Vector API module present at run time
 * ({@code --add-modules jdk.incubator.vector}), {@link VectorInt8Kernel} widens 16 codes at a time to floats and
 * fuses multiply-adds: about 10 times faster than the scalar loop on AVX-512 and close to memory bandwidth. Without
 * the module (an app server started without the flag) the plain loop runs: same results up to float rounding order,
 * just slower. The choice is made once; {@link VectorInt8Kernel} is never loaded when the module is absent.
 */
final class Int8Kernels {

    static final boolean VECTOR_API = vectorApiUsable();

    private Int8Kernels() {
    }

    /** Approximate score of one row: {@code sum(query[i] * codes[offset + i])} for i below {@code dim}. */
    static float dot(float[] query, byte[] codes, int offset, int dim) {
        return VECTOR_API ? VectorInt8Kernel.dot(query, codes, offset, dim) : dotScalar(query, codes, offset, dim);
    }

    static float dotScalar(float[] query, byte[] codes, int offset, int dim) {
        // Four independent sums let the CPU overlap the additions (the JIT does not vectorise byte-to-float).
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < dim; i += 4) {
            s0 += query[i] * codes[offset + i];
            s1 += query[i + 1] * codes[offset + i + 1];
            s2 += query[i + 2] * codes[offset + i + 2];
            s3 += query[i + 3] * codes[offset + i + 3];
        }
        for (; i < dim; i++) {
            s0 += query[i] * codes[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Human-readable kernel name for logs and the benchmark table. */
    static String name() {
        return VECTOR_API ? "vector-api " + VectorInt8Kernel.describe() : "scalar";
    }

    private static boolean vectorApiUsable() {
        if (Boolean.getBoolean("imageretrieval.noVectorApi")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            // Smoke-run the kernel once: a JVM without usable SIMD support still works, through the scalar loop.
            float[] q = {1, 2, 3};
            return VectorInt8Kernel.dot(q, new byte[] {1, 1, 1}, 0, 3) == 6f;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
