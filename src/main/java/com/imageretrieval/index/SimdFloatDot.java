package com.imageretrieval.index;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** Vector API kernel of {@link FloatDot}; loaded only when {@code jdk.incubator.vector} is in the boot layer. */
final class SimdFloatDot {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private SimdFloatDot() {
    }

    static int lanes() {
        return L;
    }

    static float dot(float[] a, int off, float[] q, int d, float[] scratch) {
        // four accumulators hide the FMA latency; lane-wise, so the result does not depend on JIT state
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i + 4 * L <= d; i += 4 * L) {
            acc0 = FloatVector.fromArray(F, a, off + i).fma(FloatVector.fromArray(F, q, i), acc0);
            acc1 = FloatVector.fromArray(F, a, off + i + L).fma(FloatVector.fromArray(F, q, i + L), acc1);
            acc2 = FloatVector.fromArray(F, a, off + i + 2 * L).fma(FloatVector.fromArray(F, q, i + 2 * L), acc2);
            acc3 = FloatVector.fromArray(F, a, off + i + 3 * L).fma(FloatVector.fromArray(F, q, i + 3 * L), acc3);
        }
        for (; i + L <= d; i += L) {
            acc0 = FloatVector.fromArray(F, a, off + i).fma(FloatVector.fromArray(F, q, i), acc0);
        }
        acc0.add(acc1).add(acc2.add(acc3)).intoArray(scratch, 0);
        float sum = 0;
        for (int lane = 0; lane < L; lane++) {
            sum += scratch[lane];
        }
        for (; i < d; i++) {
            sum += a[off + i] * q[i];
        }
        return sum;
    }
}
