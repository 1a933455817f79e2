package com.imageretrieval.index.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API kernel: about twice the scalar loop's speed at 2048-d on AVX-512. Loaded only by
 * {@link KernelProvider}, and only when {@code jdk.incubator.vector} is in the boot layer.
 *
 * <p>Deterministic: lanes accumulate with fused multiply-adds (exactly rounded, the same whether interpreted or
 * compiled) and are summed in a fixed order through the scratch array, never with {@code reduceLanes}, whose order
 * the Vector API leaves open.
 */
final class SimdDotProduct implements DotProduct {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    static final SimdDotProduct INSTANCE = new SimdDotProduct();

    private SimdDotProduct() {
    }

    @Override
    public float dot(float[] a, int off, float[] q, int d, float[] scratch) {
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

    @Override
    public float[] newScratch() {
        return new float[L];
    }

    @Override
    public String name() {
        return "vector-api " + L + " lanes";
    }
}
