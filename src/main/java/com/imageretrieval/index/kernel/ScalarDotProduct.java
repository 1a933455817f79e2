package com.imageretrieval.index.kernel;

/**
 * The portable kernel: plain Java loops. Runs where the Vector API is absent (a JVM started without
 * {@code --add-modules jdk.incubator.vector}, a WildFly deployment that cannot see the module) and serves
 * {@link DotProduct#dotBlock} for every kernel.
 */
final class ScalarDotProduct implements DotProduct {

    static final ScalarDotProduct INSTANCE = new ScalarDotProduct();

    private ScalarDotProduct() {
    }

    /**
     * 8 independent accumulators, then a fixed-order sum: a single accumulator would serialise the additions on the
     * add latency; 8 let the CPU overlap them.
     */
    @Override
    public float dot(float[] a, int off, float[] q, int d, float[] scratch) {
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

    @Override
    public float[] newScratch() {
        return null;
    }

    @Override
    public String name() {
        return "scalar";
    }

    /**
     * {@link DotProduct#dotBlock}: 2 x 2 rows at a time, so each loaded value serves two products (a plain dot
     * product loads two values per multiply and is limited by loads).
     */
    static void block(float[] a, int d, int i0, int i1, int j0, int j1, float[] out) {
        int width = j1 - j0;
        for (int i = i0; i < i1; i += 2) {
            boolean twoI = i + 1 < i1;
            int a0 = i * d;
            int a1 = twoI ? a0 + d : a0;
            for (int j = j0; j < j1; j += 2) {
                boolean twoJ = j + 1 < j1;
                int b0 = j * d;
                int b1 = twoJ ? b0 + d : b0;
                float e00 = 0, e01 = 0, e10 = 0, e11 = 0;
                float o00 = 0, o01 = 0, o10 = 0, o11 = 0;
                int k = 0;
                for (int limit = d - 1; k < limit; k += 2) {
                    float x0 = a[a0 + k];
                    float x1 = a[a1 + k];
                    float y0 = a[b0 + k];
                    float y1 = a[b1 + k];
                    e00 += x0 * y0;
                    e01 += x0 * y1;
                    e10 += x1 * y0;
                    e11 += x1 * y1;
                    x0 = a[a0 + k + 1];
                    x1 = a[a1 + k + 1];
                    y0 = a[b0 + k + 1];
                    y1 = a[b1 + k + 1];
                    o00 += x0 * y0;
                    o01 += x0 * y1;
                    o10 += x1 * y0;
                    o11 += x1 * y1;
                }
                if (k < d) {
                    // odd dimension: the last position joins the even sums
                    e00 += a[a0 + k] * a[b0 + k];
                    e01 += a[a0 + k] * a[b1 + k];
                    e10 += a[a1 + k] * a[b0 + k];
                    e11 += a[a1 + k] * a[b1 + k];
                }
                int o = (i - i0) * width + (j - j0);
                out[o] = e00 + o00;
                if (twoJ) {
                    out[o + 1] = e01 + o01;
                }
                if (twoI) {
                    out[o + width] = e10 + o10;
                    if (twoJ) {
                        out[o + width + 1] = e11 + o11;
                    }
                }
            }
        }
    }
}
