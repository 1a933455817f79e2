package com.imageretrieval.analysis;

import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.VectorMatrix;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Leave-one-out retrieval quality of an index, the label of an image being its first folder.
 *
 * <p>Definitions. The collection is the labelled images (label not ""); images without a label (files at the dataset
 * root) are left out entirely: they are neither queries, nor ranked, nor relevant. Each labelled image whose label has
 * at least one other image is a query (a label with one image has nothing to find). For query q, the ranking is every
 * other labelled image, ordered by cosine similarity to q descending, ties by path (the order a search returns); an
 * image is relevant if it has q's label. With R relevant images and rel(i) = 1 if the image at rank i is relevant:
 * <ul>
 *   <li>P@k(q) = (number of relevant images in ranks 1..k) / k, the denominator staying k even when fewer than k
 *       images are ranked;</li>
 *   <li>AP(q) = (1 / R) * sum over ranks i with rel(i) = 1 of P@i(q), over the full ranking, so AP = 1 exactly when
 *       all R relevant images come before every other one;</li>
 *   <li>P@1, P@5, P@10 and mAP are the means of these over the queries: "overall" over all queries (each query
 *       weighs the same, so larger classes weigh more), "per class" over the queries of that label;</li>
 *   <li>confusion[a][b] counts the queries of label a whose rank-1 image has label b.</li>
 * </ul>
 *
 * <p>Cost: all pairs are scored (with {@link VectorMatrix#dotBlock}, in blocks, on a few threads; once each up to
 * 4,096 images, twice above, to bound memory) and each query's ranking is sorted: O(n^2 d + n^2 log n). The result is
 * cached per index content (a rebuild that changed something invalidates it); concurrent callers compute one at a
 * time.
 */
public final class RetrievalEvaluation {

    private final SnapshotCache<Boolean, EvaluationResult> cache = new SnapshotCache<>();

    /**
     * The evaluation of {@code snapshot}, computed once per index content: reused for the same snapshot and for a
     * rebuilt one with the same images and vectors (see {@link SnapshotCache}).
     */
    public synchronized EvaluationResult of(IndexSnapshot snapshot) throws EvaluationException {
        Objects.requireNonNull(snapshot, "snapshot");
        EvaluationResult r = cache.get(snapshot, Boolean.TRUE);
        if (r == null) {
            r = evaluate(snapshot);
            cache.put(snapshot, Boolean.TRUE, r);
        }
        return r;
    }

    /**
     * Evaluates {@code snapshot} (uncached).
     *
     * @throws EvaluationException if no label has two or more images
     */
    public static EvaluationResult evaluate(IndexSnapshot snapshot) throws EvaluationException {
        return evaluate(snapshot, SYMMETRIC_LIMIT);
    }

    /**
     * Up to this many scores (n^2; 64 MiB of floats, n = 4096) the full similarity matrix is kept, so that each pair is
     * scored once; above, blocks of queries are scored against everything (each pair twice, memory per thread
     * 64 x n). Both give the same figures: a pair's score does not depend on the block it is computed in.
     */
    static final long SYMMETRIC_LIMIT = 1L << 24;

    /** {@link #evaluate(IndexSnapshot)} with a chosen limit for the full matrix (tests run both ways). */
    static EvaluationResult evaluate(IndexSnapshot snapshot, long symmetricLimit) throws EvaluationException {
        long start = System.nanoTime();
        List<ImageRecord> images = snapshot.images();
        int n = images.size();

        // label numbers in sorted order; -1 = unlabelled
        TreeMap<String, Integer> counts = new TreeMap<>();
        for (ImageRecord r : images) {
            if (!r.label().isEmpty()) {
                counts.merge(r.label(), 1, Integer::sum);
            }
        }
        String[] labels = counts.keySet().toArray(String[]::new);
        Map<String, Integer> number = new HashMap<>();
        for (String l : labels) {
            number.put(l, number.size());
        }
        int[] labelOf = new int[n];
        int[] perLabel = new int[labels.length];
        int labelled = 0;
        for (int i = 0; i < n; i++) {
            String l = images.get(i).label();
            labelOf[i] = l.isEmpty() ? -1 : number.get(l);
            if (labelOf[i] >= 0) {
                perLabel[labelOf[i]]++;
                labelled++;
            }
        }
        boolean anyQuery = false;
        for (int c : perLabel) {
            anyQuery |= c >= 2;
        }
        if (!anyQuery) {
            throw new EvaluationException(labelled == 0
                    ? "no image has a label: put the images in one folder per class (label = first folder)"
                    : "no label has two or more images, so no query has anything relevant to find");
        }

        // per-query figures, by row; aggregated afterwards in row order so the sums do not depend on the threads
        double[] p1 = new double[n];
        double[] p5 = new double[n];
        double[] p10 = new double[n];
        double[] ap = new double[n];
        int[] top1 = new int[n];
        boolean[] isQuery = new boolean[n];
        for (int i = 0; i < n; i++) {
            isQuery[i] = labelOf[i] >= 0 && perLabel[labelOf[i]] >= 2;
        }
        VectorMatrix m = snapshot.vectors();
        if ((long) n * n <= symmetricLimit) {
            // every pair scored once (the upper triangle) into the full matrix: half the products
            float[] all = new float[n * n];
            PairBlocks.forEachBlock(m, () -> new float[PairBlocks.BLOCK * PairBlocks.BLOCK],
                    (block, from, to) -> scoreUpperRows(m, from, to, block, all));
            PairBlocks.forEachBlock(m, () -> new QueryWorker(n), (w, from, to) -> {
                for (int q = from; q < to; q++) {
                    if (isQuery[q]) {
                        w.rank(q, all, q * n, labelOf, perLabel[labelOf[q]] - 1, p1, p5, p10, ap, top1);
                    }
                }
            });
        } else {
            // memory bounded: each block of queries against every image (every product computed twice)
            PairBlocks.forEachBlock(m, () -> new QueryWorker(n), (w, from, to) -> {
                w.score(m, from, to);
                for (int q = from; q < to; q++) {
                    if (isQuery[q]) {
                        w.rank(q, w.scores, (q - from) * n, labelOf, perLabel[labelOf[q]] - 1, p1, p5, p10, ap,
                                top1);
                    }
                }
            });
        }

        double[][] sums = new double[labels.length][4];
        int[] queriesOf = new int[labels.length];
        double[] total = new double[4];
        int queries = 0;
        int[][] confusion = new int[labels.length][labels.length];
        for (int q = 0; q < n; q++) {
            if (!isQuery[q]) {
                continue;
            }
            int c = labelOf[q];
            double[] f = {p1[q], p5[q], p10[q], ap[q]};
            for (int x = 0; x < 4; x++) {
                sums[c][x] += f[x];
                total[x] += f[x];
            }
            queriesOf[c]++;
            queries++;
            confusion[c][labelOf[top1[q]]]++;
        }
        Map<String, RetrievalMetrics> perClass = new TreeMap<>();
        Map<String, Map<String, Integer>> confusionByName = new TreeMap<>();
        for (int c = 0; c < labels.length; c++) {
            if (queriesOf[c] == 0) {
                continue;
            }
            perClass.put(labels[c], metrics(sums[c], queriesOf[c]));
            Map<String, Integer> row = new TreeMap<>();
            for (int b = 0; b < labels.length; b++) {
                if (confusion[c][b] > 0) {
                    row.put(labels[b], confusion[c][b]);
                }
            }
            confusionByName.put(labels[c], row);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new EvaluationResult(metrics(total, queries), perClass, confusionByName, labelled, queries,
                n - labelled, millis, Instant.now());
    }

    /**
     * Rows [from, to) against rows j &gt;= from, written to {@code all[i * n + j]} and, mirrored, {@code all[j * n + i]}.
     * Each cell has one writer (the thread of the lower row's block), and the thread joins publish the writes.
     */
    private static void scoreUpperRows(VectorMatrix m, int from, int to, float[] block, float[] all) {
        int n = m.rows();
        for (int j0 = from; j0 < n; j0 += PairBlocks.BLOCK) {
            int j1 = Math.min(n, j0 + PairBlocks.BLOCK);
            int width = j1 - j0;
            m.dotBlock(from, to, j0, j1, block);
            for (int i = from; i < to; i++) {
                System.arraycopy(block, (i - from) * width, all, i * n + j0, width);
            }
            for (int j = j0; j < j1; j++) {
                int row = j * n;
                for (int i = from; i < to; i++) {
                    all[row + i] = block[(i - from) * width + (j - j0)];
                }
            }
        }
    }

    private static RetrievalMetrics metrics(double[] sums, int queries) {
        return new RetrievalMetrics(sums[0] / queries, sums[1] / queries, sums[2] / queries, sums[3] / queries,
                queries);
    }

    /** One thread's buffers: the scores of a block of queries against every image, and one query's sort keys. */
    private static final class QueryWorker {
        final int n;
        final long[] keys;
        /** Only for the memory-bounded way; made on first use. */
        float[] scores;
        float[] block;

        QueryWorker(int n) {
            this.n = n;
            this.keys = new long[n];
        }

        /** scores[(q - from) * n + j] = similarity of rows q and j, for q in [from, to) and every j. */
        void score(VectorMatrix m, int from, int to) {
            if (scores == null) {
                scores = new float[PairBlocks.BLOCK * n];
                block = new float[PairBlocks.BLOCK * PairBlocks.BLOCK];
            }
            int rows = to - from;
            for (int j0 = 0; j0 < n; j0 += PairBlocks.BLOCK) {
                int j1 = Math.min(n, j0 + PairBlocks.BLOCK);
                int width = j1 - j0;
                m.dotBlock(from, to, j0, j1, block);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(block, r * width, scores, r * n + j0, width);
                }
            }
        }

        /** Ranks the other labelled images for query q (its scores at {@code scores[base..base + n)}). */
        void rank(int q, float[] scores, int base, int[] labelOf, int relevant, double[] p1, double[] p5,
                  double[] p10, double[] ap, int[] top1) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                if (j != q && labelOf[j] >= 0) {
                    keys[count++] = sortKey(scores[base + j], j);
                }
            }
            Arrays.sort(keys, 0, count);
            int label = labelOf[q];
            int hits = 0;
            double precisionSum = 0;
            for (int i = 0; i < count; i++) {
                int j = (int) keys[i];
                if (labelOf[j] == label) {
                    hits++;
                    precisionSum += (double) hits / (i + 1);
                }
                if (i == 0) {
                    p1[q] = hits;
                    top1[q] = j;
                }
                if (i == 4) {
                    p5[q] = hits / 5.0;
                }
                if (i == 9) {
                    p10[q] = hits / 10.0;
                }
            }
            if (count < 5) {
                p5[q] = hits / 5.0;
            }
            if (count < 10) {
                p10[q] = hits / 10.0;
            }
            ap[q] = precisionSum / relevant;
        }
    }

    /**
     * A long whose ascending order is similarity descending ({@link Float#compare} order), then row ascending: the
     * order of a search. High half: the float's bits mapped to an int that increases with the float, complemented;
     * low half: the row.
     */
    static long sortKey(float similarity, int row) {
        int bits = Float.floatToIntBits(similarity);
        int increasing = bits >= 0 ? bits : bits ^ 0x7fffffff;
        return ((long) ~increasing << 32) | row;
    }
}
