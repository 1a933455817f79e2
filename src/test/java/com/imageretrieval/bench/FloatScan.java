package com.imageretrieval.bench;

import com.imageretrieval.index.compact.ScoredRow;
import com.imageretrieval.index.compact.TopRows;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exact float32 full scan used by the scale benchmark: SIMD dot products (Vector API, two FMA accumulators) and
 * partial top-k, split over all cores from 32,768 rows. Stand-in for the product's VectorMatrix scan where that one
 * cannot take a synthetic matrix; the benchmark reports which scan it timed.
 */
public final class FloatScan {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private FloatScan() {
    }

    public static float dot(float[] q, float[] m, int off, int dim) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= dim; i += 2 * L) {
            a0 = FloatVector.fromArray(F, m, off + i).fma(FloatVector.fromArray(F, q, i), a0);
            a1 = FloatVector.fromArray(F, m, off + i + L).fma(FloatVector.fromArray(F, q, i + L), a1);
        }
        float s = a0.add(a1).reduceLanes(VectorOperators.ADD);
        for (; i < dim; i++) {
            s += q[i] * m[off + i];
        }
        return s;
    }

    public static ScoredRow[] top(float[] m, int rows, int dim, float[] q, int k, boolean parallel) {
        int keep = Math.min(k, rows);
        if (!parallel || rows < 32_768) {
            return scan(m, dim, q, 0, rows, keep).sorted();
        }
        int parts = Runtime.getRuntime().availableProcessors();
        int chunk = (rows + parts - 1) / parts;
        TopRows merged = new TopRows(keep);
        IntStream.range(0, parts).parallel()
                .mapToObj(p -> scan(m, dim, q, p * chunk, Math.min(rows, (p + 1) * chunk), keep))
                .sequential().forEach(merged::addAll);
        return merged.sorted();
    }

    private static TopRows scan(float[] m, int dim, float[] q, int from, int to, int keep) {
        TopRows t = new TopRows(keep);
        for (int r = from; r < to; r++) {
            t.offer(dot(q, m, r * dim, dim), r);
        }
        return t;
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
