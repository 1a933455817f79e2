package com.imageretrieval.index.compact;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernel (only loaded when {@code jdk.incubator.vector} is in the boot layer, see {@link Int8Kernels}).
 * Each step loads as many int8 codes as the preferred float vector has lanes (16 on AVX-512: a 128-bit byte load),
 * widens them to floats and fuses a multiply-add with the query; two accumulators hide the FMA latency.
 */
final class VectorInt8Kernel {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> B =
            VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4));
    private static final int L = F.length();

    private VectorInt8Kernel() {
    }

    static float dot(float[] query, byte[] codes, int offset, int dim) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= dim; i += 2 * L) {
            FloatVector x0 = (FloatVector) ByteVector.fromArray(B, codes, offset + i)
                    .convertShape(VectorOperators.B2F, F, 0);
            acc0 = x0.fma(FloatVector.fromArray(F, query, i), acc0);
            FloatVector x1 = (FloatVector) ByteVector.fromArray(B, codes, offset + i + L)
                    .convertShape(VectorOperators.B2F, F, 0);
            acc1 = x1.fma(FloatVector.fromArray(F, query, i + L), acc1);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            sum += query[i] * codes[offset + i];
        }
        return sum;
    }

    static String describe() {
        return F.vectorBitSize() + "-bit";
    }
}
