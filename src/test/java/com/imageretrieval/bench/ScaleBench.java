package com.imageretrieval.bench;

import com.imageretrieval.index.VectorMatrix;
import java.util.Arrays;
import java.util.Locale;

/**
 * Scan benchmark (issue 6, targets 3 and 4): memory bandwidth, then for each size the exact float32 full-scan top-10
 * of the product ({@link VectorMatrix}) over structured synthetic unit vectors (2048-d). Reports ms/query median and
 * p95, the bandwidth floor (bytes scanned / measured bandwidth) and bytes per image. Needs
 * {@code --add-modules jdk.incubator.vector} for the SIMD kernel; 1M rows needs {@code -Xmx12g}.
 *
 * <p>Usage: {@code ScaleBench [--sizes 3670,100000,1000000] [--queries 30]}. Besides the readable lines it prints one
 * {@code RESULT {json}} line per size and one {@code BANDWIDTH {json}} line for bench/run.sh to collect.
 */
public final class ScaleBench {

    private ScaleBench() {
    }

    public static void main(String[] args) {
        int[] sizes = {3670, 100_000, 1_000_000};
        int queries = 30;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        int threads = Runtime.getRuntime().availableProcessors();
        float[] big = new float[256 << 20];   // 1 GiB: far beyond the caches
        Arrays.fill(big, 1f);
        double bw1 = MemoryBandwidth.bandwidth(big, 5, 1);
        double bwAll = MemoryBandwidth.bandwidth(big, 5, threads);
        big = null;
        double bw = Math.max(bw1, bwAll);
        System.out.printf(Locale.ROOT, "memory bandwidth: %.1f GB/s (1 thread), %.1f GB/s (%d threads)%n",
                bw1 / 1e9, bwAll / 1e9, threads);
        System.out.printf(Locale.ROOT, "BANDWIDTH {\"one_thread_gbs\":%.2f,\"all_threads_gbs\":%.2f,\"threads\":%d,"
                + "\"kernel\":\"%s\"}%n", bw1 / 1e9, bwAll / 1e9, threads, VectorMatrix.kernel());
        for (int rows : sizes) {
            runSize(rows, queries, bw);
            System.gc();
        }
        System.out.printf(Locale.ROOT, "SCALERSS {\"peak_rss_mib\":%d,\"max_rows\":%d}%n", Rss.peakMiB(),
                Arrays.stream(sizes).max().orElse(0));
    }

    private static void runSize(int rows, int queries, double bw) {
        int dim = 2048;
        int k = 10;
        long t0 = System.nanoTime();
        SyntheticVectors gen = SyntheticVectors.forRows(rows, 7);
        float[] m = gen.matrix(rows);
        float[][] qs = gen.queries(queries);
        double genS = (System.nanoTime() - t0) / 1e9;
        // The product's scan (VectorMatrix.topK): warm up, then time each query.
        VectorMatrix matrix = new VectorMatrix(m, rows, dim);
        for (int w = 0; w < 5; w++) {
            matrix.topK(qs[w % queries], k);
        }
        double[] exactMs = new double[queries];
        for (int i = 0; i < queries; i++) {
            long s = System.nanoTime();
            matrix.topK(qs[i], k);
            exactMs[i] = (System.nanoTime() - s) / 1e6;
        }
        double floatFloorMs = rows * (double) dim * 4 / bw * 1e3;
        System.out.printf(Locale.ROOT, "%,9d x %d: generated in %.1f s; exact float32 (VectorMatrix, %s) p50 %.2f ms "
                        + "p95 %.2f ms (floor %.2f ms, %d B/image)%n",
                rows, dim, genS, VectorMatrix.kernel(), median(exactMs), p95(exactMs), floatFloorMs, dim * 4);
        System.out.printf(Locale.ROOT, "RESULT {\"rows\":%d,\"dim\":%d,\"queries\":%d,\"exact_p50_ms\":%.3f,"
                        + "\"exact_p95_ms\":%.3f,\"exact_floor_ms\":%.3f,\"exact_bytes_per_image\":%d,"
                        + "\"scan\":\"VectorMatrix\"}%n",
                rows, dim, queries, median(exactMs), p95(exactMs), floatFloorMs, dim * 4);
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Nearest-rank 95th percentile. */
    static double p95(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(0.95 * s.length);
        return s[Math.max(0, rank - 1)];
    }
}
