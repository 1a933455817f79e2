package com.imageretrieval.index;

import java.util.Arrays;
import java.util.Random;

/**
 * Not a test: a measurement to run by hand. Prints the median time of {@link VectorMatrix#topK} on a matrix the size
 * of flower_photos (3,670 x 2048) and of a naive single-accumulator loop for comparison.
 *
 * <pre>mvn -q -o test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.imageretrieval.index.VectorMatrixBenchmark [-Dexec.args="3670 2048 12"]</pre>
 */
public final class VectorMatrixBenchmark {

    private VectorMatrixBenchmark() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 3670;
        int dim = args.length > 1 ? Integer.parseInt(args[1]) : 2048;
        int k = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        Random rnd = new Random(42);
        float[] data = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int i = 0; i < dim; i++) {
                float v = (float) rnd.nextGaussian();
                data[r * dim + i] = v;
                norm += v * v;
            }
            for (int i = 0; i < dim; i++) {
                data[r * dim + i] /= (float) Math.sqrt(norm);
            }
        }
        VectorMatrix m = new VectorMatrix(data, rows, dim);
        float[] q = m.row(rnd.nextInt(rows));
        int iterations = 400;
        long[] t = new long[iterations];
        long[] naive = new long[iterations];
        float sink = 0;
        for (int it = 0; it < iterations; it++) {
            long t0 = System.nanoTime();
            sink += m.topK(q, k).get(0).score();
            t[it] = System.nanoTime() - t0;
            t0 = System.nanoTime();
            sink += naiveBest(data, rows, dim, q);
            naive[it] = System.nanoTime() - t0;
        }
        System.out.printf("topK %d x %d, k=%d: median %.3f ms (min %.3f); naive loop: median %.3f ms  [%s]%n",
                rows, dim, k, median(t), Arrays.stream(t).min().orElse(0) / 1e6, median(naive), sink);
    }

    private static float naiveBest(float[] data, int rows, int dim, float[] q) {
        float best = Float.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            float s = 0;
            for (int i = 0; i < dim; i++) {
                s += data[r * dim + i] * q[i];
            }
            best = Math.max(best, s);
        }
        return best;
    }

    private static double median(long[] nanos) {
        long[] c = nanos.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }
}
