package com.imageretrieval.index;

/**
 * The float dot product every exact search ranks by, with two interchangeable kernels: Vector API lanes when the JVM
 * runs with {@code --add-modules jdk.incubator.vector} (about twice as fast here: AVX-512), else a scalar loop with 8
 * accumulators. Whichever is chosen at class initialisation serves every call, so a value is the same in every call.
 *
 * <p>Both kernels are deterministic: the SIMD one adds lane by lane with fused multiply-adds (exactly rounded, the
 * same whether interpreted or compiled) and sums the lanes in a fixed order through a scratch array, never with
 * {@code reduceLanes}, whose order the Vector API leaves open.
 */
final class FloatDot {

    /** True when the SIMD kernel is in use. */
    static final boolean VECTOR_API = vectorApiUsable();

    private FloatDot() {
    }

    /** Scratch for one thread's calls of {@link #dot}; null when the scalar kernel needs none. */
    static float[] scratch() {
        return VECTOR_API ? new float[SimdFloatDot.lanes()] : null;
    }

    /** Row {@code a[off .. off + d)} . {@code q}; {@code scratch} from {@link #scratch()} (not shared by threads). */
    static float dot(float[] a, int off, float[] q, int d, float[] scratch) {
        return VECTOR_API ? SimdFloatDot.dot(a, off, q, d, scratch) : scalar(a, off, q, d);
    }

    /** Human-readable kernel name for logs and benchmarks. */
    static String kernel() {
        return VECTOR_API ? "vector-api " + SimdFloatDot.lanes() + " lanes" : "scalar";
    }

    /** 8 independent accumulators, then a fixed-order sum. */
    static float scalar(float[] a, int off, float[] q, int d) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = 0;
        for (int limit = d - 7; i < limit; i += 8) {
            int o = off + i;
            s0 += a[o] * q[i];
            s1 += a[o + 1] * q[i + 1];
            s2 += a[o + 2] * q[i + 2];
            s3 += a[o + 3] * q[i + 3];
            s4 += a[o + 4] * q[i + 4];
            s5 += a[o + 5] * q[i + 5];
            s6 += a[o + 6] * q[i + 6];
            s7 += a[o + 7] * q[i + 7];
        }
        for (; i < d; i++) {
            s0 += a[off + i] * q[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private static boolean vectorApiUsable() {
        if (Boolean.getBoolean("imageretrieval.noVectorApi")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            // Smoke-run once: where the class loader cannot see the module (a WildFly deployment without a module
            // dependency), this fails with a LinkageError and the scalar kernel is used.
            float[] v = {1, 2, 3};
            return SimdFloatDot.dot(v, 0, v, 3, new float[SimdFloatDot.lanes()]) == 14f;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }
}
