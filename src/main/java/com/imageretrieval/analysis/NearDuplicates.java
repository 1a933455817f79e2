package com.imageretrieval.analysis;

import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.VectorMatrix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds groups of near-identical images in an index: the connected components of the graph whose edges are the pairs
 * with cosine similarity {@code >=} a threshold, plus the pairs of byte-identical files (same SHA-256, linked whatever
 * their similarity, so exact copies are grouped even at threshold 1).
 *
 * <p>How: every unordered pair is scored once, by a blocked self-product of the vector matrix
 * ({@link VectorMatrix#dotBlock}) that visits only blocks on or above the diagonal and, inside a diagonal block, only
 * pairs j &gt; i. Each thread unions its pairs into its own union-find (no locking in the hot loop); the forests are
 * merged at the end. Exact and deterministic: the groups do not depend on the number of threads.
 *
 * <p>Thread-safe. The last report is cached per index content and threshold; concurrent callers compute one at a
 * time.
 */
public final class NearDuplicates {

    /** Default threshold: re-encodings and small resizes of one photo stay above it; different photos rarely do. */
    public static final double DEFAULT_THRESHOLD = 0.98;

    private final SnapshotCache<Double, DuplicateReport> cache = new SnapshotCache<>();

    /**
     * The report for {@code snapshot} at {@code threshold}, computed once per index content and threshold (reused
     * for a rebuilt snapshot with the same images and vectors, see {@link SnapshotCache}).
     */
    public synchronized DuplicateReport find(IndexSnapshot snapshot, double threshold) {
        Objects.requireNonNull(snapshot, "snapshot");
        checkThreshold(threshold);
        DuplicateReport report = cache.get(snapshot, threshold);
        if (report == null) {
            report = compute(snapshot, threshold);
            cache.put(snapshot, threshold, report);
        }
        return report;
    }

    /**
     * Computes the groups (uncached).
     *
     * @param threshold cosine similarity in [-1, 1]; a pair is near-identical if its similarity (a float) is
     *                  {@code >=} it
     * @throws IllegalArgumentException if the threshold is NaN or outside [-1, 1]
     */
    public static DuplicateReport compute(IndexSnapshot snapshot, double threshold) {
        checkThreshold(threshold);
        long start = System.nanoTime();
        VectorMatrix m = snapshot.vectors();
        int n = m.rows();

        List<PairWorker> workers = PairBlocks.forEachBlock(m, () -> new PairWorker(n),
                (w, from, to) -> w.scanUpperRows(m, from, to, threshold));

        UnionFind all = new UnionFind(n);
        long pairs = 0;
        for (PairWorker w : workers) {
            pairs += w.pairs;
            for (int i = 0; i < n; i++) {
                all.union(i, w.forest.find(i));
            }
        }
        List<ImageRecord> images = snapshot.images();
        Map<String, Integer> firstWithHash = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String sha = images.get(i).sha256();
            if (sha != null && !sha.isBlank()) {
                Integer first = firstWithHash.putIfAbsent(sha, i);
                if (first != null) {
                    all.union(first, i);
                }
            }
        }

        Map<Integer, List<Integer>> components = new HashMap<>();
        for (int i = 0; i < n; i++) {
            components.computeIfAbsent(all.find(i), r -> new ArrayList<>()).add(i);
        }
        List<DuplicateGroup> groups = new ArrayList<>();
        float[] one = new float[1];
        for (List<Integer> rows : components.values()) {
            if (rows.size() > 1) {
                groups.add(group(m, images, rows, one));
            }
        }
        groups.sort(Comparator.<DuplicateGroup>comparingInt(g -> -g.members().size())
                .thenComparing(g -> g.members().get(0).image().path()));
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new DuplicateReport(threshold, n, pairs, groups, millis, Instant.now());
    }

    private static DuplicateGroup group(VectorMatrix m, List<ImageRecord> images, List<Integer> rows, float[] one) {
        rows.sort(Comparator.comparing(r -> images.get(r).path()));
        Map<String, Integer> hashCounts = new HashMap<>();
        for (int r : rows) {
            String sha = images.get(r).sha256();
            if (sha != null && !sha.isBlank()) {
                hashCounts.merge(sha, 1, Integer::sum);
            }
        }
        int first = rows.get(0);
        List<DuplicateGroup.Member> members = new ArrayList<>(rows.size());
        for (int r : rows) {
            // the same kernel as the pair scan, so a member's figure is the one the threshold was tested on
            m.dotBlock(first, first + 1, r, r + 1, one);
            ImageRecord image = images.get(r);
            boolean identical = image.sha256() != null && hashCounts.getOrDefault(image.sha256(), 0) > 1;
            members.add(new DuplicateGroup.Member(image, one[0], identical));
        }
        String sha = images.get(first).sha256();
        boolean exact = sha != null && hashCounts.size() == 1 && hashCounts.get(sha) == rows.size();
        return new DuplicateGroup(exact, exact ? sha : null, members);
    }

    private static void checkThreshold(double threshold) {
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be a cosine similarity between -1 and 1, got "
                    + threshold);
        }
    }

    /** One thread's share: its own forest and pair count, and a block buffer. */
    private static final class PairWorker {
        final UnionFind forest;
        final float[] block = new float[PairBlocks.BLOCK * PairBlocks.BLOCK];
        long pairs;

        PairWorker(int n) {
            forest = new UnionFind(n);
        }

        /** Pairs (i, j), i in [from, to), j &gt; i: the blocks right of the diagonal and the diagonal's upper half. */
        void scanUpperRows(VectorMatrix m, int from, int to, double threshold) {
            int n = m.rows();
            for (int j0 = from; j0 < n; j0 += PairBlocks.BLOCK) {
                int j1 = Math.min(n, j0 + PairBlocks.BLOCK);
                int width = j1 - j0;
                m.dotBlock(from, to, j0, j1, block);
                for (int i = from; i < to; i++) {
                    int rowOffset = (i - from) * width - j0;
                    for (int j = Math.max(j0, i + 1); j < j1; j++) {
                        if (block[rowOffset + j] >= threshold) {
                            forest.union(i, j);
                            pairs++;
                        }
                    }
                }
            }
        }
    }

    /** Union-find with path halving and union by size. */
    static final class UnionFind {
        private final int[] parent;
        private final int[] size;

        UnionFind(int n) {
            parent = new int[n];
            size = new int[n];
            for (int i = 0; i < n; i++) {
                parent[i] = i;
                size[i] = 1;
            }
        }

        int find(int x) {
            while (parent[x] != x) {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            return x;
        }

        void union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra == rb) {
                return;
            }
            if (size[ra] < size[rb]) {
                int t = ra;
                ra = rb;
                rb = t;
            }
            parent[rb] = ra;
            size[ra] += size[rb];
        }
    }
}
