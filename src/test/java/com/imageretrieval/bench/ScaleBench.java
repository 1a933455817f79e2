package com.imageretrieval.bench;

import com.imageretrieval.index.VectorMatrix;
import com.imageretrieval.index.compact.FloatVectorSource;
import com.imageretrieval.index.compact.Int8Index;
import com.imageretrieval.index.compact.ScoredRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scan benchmark (issue 6, targets 3 and 4): memory bandwidth, then for each size the exact float32 full-scan top-10
 * of the product ({@link VectorMatrix}; plus the same scan with Vector API dot products for comparison) and the int8
 * compact mode (scan + exact re-rank of 10 x k), over structured synthetic unit vectors (2048-d).
 * Reports ms/query median and p95, the bandwidth floor (bytes scanned / measured bandwidth), recall@10 of int8 vs
 * exact, and bytes per image. Needs {@code --add-modules jdk.incubator.vector}; 1M rows needs {@code -Xmx12g}.
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
        double bw1 = FloatScan.bandwidth(big, 5, 1);
        double bwAll = FloatScan.bandwidth(big, 5, threads);
        big = null;
        double bw = Math.max(bw1, bwAll);
        System.out.printf(Locale.ROOT, "memory bandwidth: %.1f GB/s (1 thread), %.1f GB/s (%d threads)%n",
                bw1 / 1e9, bwAll / 1e9, threads);
        System.out.printf(Locale.ROOT, "BANDWIDTH {\"one_thread_gbs\":%.2f,\"all_threads_gbs\":%.2f,\"threads\":%d,"
                + "\"int8_kernel\":\"%s\"}%n", bw1 / 1e9, bwAll / 1e9, threads, Int8Index.kernel());
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
        // Parallel split only pays off on large scans; small ones run on the calling thread (as the product does).
        boolean parallel = rows >= 32_768;

        // Exact float32 with the product's scan (VectorMatrix.topK): warm up, then time each query.
        VectorMatrix matrix = new VectorMatrix(m, rows, dim);
        for (int w = 0; w < 5; w++) {
            matrix.topK(qs[w % queries], k);
        }
        double[] exactMs = new double[queries];
        List<Set<Integer>> truth = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            long s = System.nanoTime();
            List<VectorMatrix.Scored> top = matrix.topK(qs[i], k);
            exactMs[i] = (System.nanoTime() - s) / 1e6;
            Set<Integer> ids = new HashSet<>();
            for (VectorMatrix.Scored r : top) {
                ids.add(r.row());
            }
            truth.add(ids);
        }
        // The same scan with Vector API dot products (FloatScan), for comparison: what SIMD would give the product.
        for (int w = 0; w < 5; w++) {
            FloatScan.top(m, rows, dim, qs[w % queries], k, parallel);
        }
        double[] simdMs = new double[queries];
        for (int i = 0; i < queries; i++) {
            long s = System.nanoTime();
            FloatScan.top(m, rows, dim, qs[i], k, parallel);
            simdMs[i] = (System.nanoTime() - s) / 1e6;
        }

        long b0 = System.nanoTime();
        Int8Index idx = Int8Index.build(m, rows, dim);
        double buildS = (System.nanoTime() - b0) / 1e9;
        // Re-rank through the product's matrix (its own dot product: no copies, scores identical to exact mode).
        FloatVectorSource source = new FloatVectorSource() {
            @Override
            public float[] vector(int row) {
                return matrix.row(row);
            }

            @Override
            public float dot(int row, float[] query) {
                return matrix.dot(row, query);
            }
        };
        for (int w = 0; w < 5; w++) {
            idx.search(qs[w % queries], k, source);
        }
        double[] int8Ms = new double[queries];
        int hits = 0;
        for (int i = 0; i < queries; i++) {
            long s = System.nanoTime();
            List<ScoredRow> got = idx.search(qs[i], k, source);
            int8Ms[i] = (System.nanoTime() - s) / 1e6;
            for (ScoredRow r : got) {
                hits += truth.get(i).contains(r.row()) ? 1 : 0;
            }
        }
        double recall = hits / (double) (k * queries);
        // The same without the re-rank (int8 scores alone): shows what the exact re-rank buys.
        int rawHits = 0;
        for (int i = 0; i < queries; i++) {
            for (ScoredRow r : idx.approximateTop(qs[i], k)) {
                rawHits += truth.get(i).contains(r.row()) ? 1 : 0;
            }
        }
        double rawRecall = rawHits / (double) (k * queries);
        double floatFloorMs = rows * (double) dim * 4 / bw * 1e3;
        double int8FloorMs = rows * (double) dim / bw * 1e3;
        long int8BytesPerImage = idx.bytesUsed() / Math.max(1, rows);
        System.out.printf(Locale.ROOT, "%,9d x %d: generated in %.1f s; exact float32 (VectorMatrix) p50 %.2f ms p95 %.2f ms "
                        + "(floor %.2f ms, %d B/image; Vector API scan p50 %.2f ms); int8+rerank p50 %.2f ms p95 %.2f ms (floor %.2f ms, %d B/image, "
                        + "built in %.1f s), recall@10 %.3f (int8 alone, no re-rank: %.3f)%n",
                rows, dim, genS, median(exactMs), p95(exactMs), floatFloorMs, dim * 4, median(simdMs), median(int8Ms),
                p95(int8Ms),
                int8FloorMs, int8BytesPerImage, buildS, recall, rawRecall);
        System.out.printf(Locale.ROOT, "RESULT {\"rows\":%d,\"dim\":%d,\"queries\":%d,\"exact_p50_ms\":%.3f,"
                        + "\"exact_p95_ms\":%.3f,\"simd_p50_ms\":%.3f,\"simd_p95_ms\":%.3f,\"exact_floor_ms\":%.3f,\"exact_bytes_per_image\":%d,"
                        + "\"int8_p50_ms\":%.3f,\"int8_p95_ms\":%.3f,\"int8_floor_ms\":%.3f,\"int8_bytes_per_image\":%d,"
                        + "\"int8_recall_at_10\":%.4f,\"int8_no_rerank_recall_at_10\":%.4f,\"int8_build_s\":%.2f,\"scan\":\"VectorMatrix\"}%n",
                rows, dim, queries, median(exactMs), p95(exactMs), median(simdMs), p95(simdMs), floatFloorMs, dim * 4, median(int8Ms), p95(int8Ms),
                int8FloorMs, int8BytesPerImage, recall, rawRecall, buildS);
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
