package com.imageretrieval.bench;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Streaming memory read bandwidth (SIMD sums), the floor the scale benchmark compares each scan against: a full scan
 * cannot be faster than reading the matrix once.
 */
public final class MemoryBandwidth {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private MemoryBandwidth() {
    }

    /** Streaming read bandwidth in bytes/s: best of {@code reps} SIMD sums over {@code data}, on {@code threads}. */
    public static double bandwidth(float[] data, int reps, int threads) {
        double best = 0;
        int chunk = (data.length + threads - 1) / threads;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            double sum = IntStream.range(0, threads).parallel()
                    .mapToDouble(p -> sum(data, p * chunk, Math.min(data.length, (p + 1) * chunk))).sum();
            long ns = System.nanoTime() - t0;
            if (Double.isNaN(sum)) {
                throw new IllegalStateException("NaN");   // keeps the sum alive
            }
            best = Math.max(best, data.length * 4.0 / (ns / 1e9));
        }
        return best;
    }

    private static double sum(float[] a, int from, int to) {
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = FloatVector.zero(F);
        int i = from;
        for (; i + 2 * L <= to; i += 2 * L) {
            s0 = s0.add(FloatVector.fromArray(F, a, i));
            s1 = s1.add(FloatVector.fromArray(F, a, i + L));
        }
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            s += a[i];
        }
        return s;
    }
}
