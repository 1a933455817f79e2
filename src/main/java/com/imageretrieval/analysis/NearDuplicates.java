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
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>A new threshold is cheap: the first scan also keeps every pair it found (at or above its threshold, sorted by
 * similarity, at most {@link #MAX_KEPT_PAIRS}: about 12 bytes a pair), per index content. A later threshold at or
 * above the lowest kept one is answered from that list, in time proportional to its pairs instead of n&sup2; only a
 * lower threshold scans again (and keeps its own, longer list when it fits). A scan whose pairs would not fit keeps
 * none and keeps the list it had.
 *
 * <p>Thread-safe. The last report is cached per index content and threshold; concurrent callers compute one at a
 * time.
 */
public final class NearDuplicates {

    /** Default threshold: re-encodings and small resizes of one photo stay above it; different photos rarely do. */
    public static final double DEFAULT_THRESHOLD = 0.98;

    /** Most pairs kept for later thresholds (~24 MB); a threshold low enough to find more pairs scans every time. */
    public static final int MAX_KEPT_PAIRS = 2_000_000;

    private final SnapshotCache<Double, DuplicateReport> cache = new SnapshotCache<>();
    /** The pairs of the lowest threshold scanned so far that fitted, for the same index content. */
    private final SnapshotCache<Boolean, Pairs> kept = new SnapshotCache<>();
    private final int maxKeptPairs;
    private long scans;

    public NearDuplicates() {
        this(MAX_KEPT_PAIRS);
    }

    /** For tests: a smaller bound on the pairs kept. */
    NearDuplicates(int maxKeptPairs) {
        this.maxKeptPairs = maxKeptPairs;
    }

    /**
     * The report for {@code snapshot} at {@code threshold}, computed once per index content and threshold (reused
     * for a rebuilt snapshot with the same images and vectors, see {@link SnapshotCache}); from the kept pairs when a
     * lower threshold was scanned before.
     */
    public synchronized DuplicateReport find(IndexSnapshot snapshot, double threshold) {
        Objects.requireNonNull(snapshot, "snapshot");
        checkThreshold(threshold);
        DuplicateReport report = cache.get(snapshot, threshold);
        if (report != null) {
            return report;
        }
        Pairs pairs = kept.get(snapshot, Boolean.TRUE);
        if (pairs != null && pairs.floor <= threshold) {
            long start = System.nanoTime();
            int from = pairs.firstAtLeast(threshold);
            UnionFind forest = new UnionFind(snapshot.size());
            for (int k = from; k < pairs.count; k++) {
                forest.union(pairs.a[k], pairs.b[k]);
            }
            report = report(snapshot, threshold, forest, pairs.count - from, start);
        } else {
            scans++;
            Scan scan = scan(snapshot, threshold, maxKeptPairs);
            report = scan.report;
            if (scan.pairs != null) {
                kept.put(snapshot, Boolean.TRUE, scan.pairs); // a lower threshold than the kept one: a superset
            }
        }
        cache.put(snapshot, threshold, report);
        return report;
    }

    /** Full pair scans done by {@link #find} (the rest came from a cache or the kept pairs). */
    synchronized long scans() {
        return scans;
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
        return scan(snapshot, threshold, 0).report;
    }

    private record Scan(DuplicateReport report, Pairs pairs) {
    }

    /** Scores every pair; also returns the pairs found when there are at most {@code keep} of them (else null). */
    private static Scan scan(IndexSnapshot snapshot, double threshold, int keep) {
        long start = System.nanoTime();
        VectorMatrix m = snapshot.vectors();
        int n = m.rows();

        AtomicLong budget = new AtomicLong(keep);
        List<PairWorker> workers = PairBlocks.forEachBlock(m, () -> new PairWorker(n, budget),
                (w, from, to) -> w.scanUpperRows(m, from, to, threshold));

        UnionFind all = new UnionFind(n);
        long pairs = 0;
        for (PairWorker w : workers) {
            pairs += w.pairs;
            for (int i = 0; i < n; i++) {
                all.union(i, w.forest.find(i));
            }
        }
        Pairs found = null;
        if (keep > 0 && budget.get() >= 0) {
            found = Pairs.sorted(workers, threshold);
        }
        return new Scan(report(snapshot, threshold, all, pairs, start), found);
    }

    /** Adds the byte-identical files to {@code all} and turns its components into the report. */
    private static DuplicateReport report(IndexSnapshot snapshot, double threshold, UnionFind all, long pairs,
            long start) {
        VectorMatrix m = snapshot.vectors();
        int n = m.rows();
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

    /**
     * One thread's share: its own forest and pair count, a block buffer, and the pairs it found while the shared
     * budget lasts (once it is spent, below zero, every worker drops its list: the scan keeps none).
     */
    private static final class PairWorker {
        final UnionFind forest;
        final float[] block = new float[PairBlocks.BLOCK * PairBlocks.BLOCK];
        final AtomicLong budget;
        long pairs;
        int[] a;
        int[] b;
        float[] s;
        int count;

        PairWorker(int n, AtomicLong budget) {
            forest = new UnionFind(n);
            this.budget = budget;
            if (budget.get() > 0) { // null: keeps nothing
                a = new int[0];
                b = new int[0];
                s = new float[0];
            }
        }

        private void keep(int i, int j, float similarity) {
            if (count == a.length) {
                int size = Math.max(256, count * 2);
                a = java.util.Arrays.copyOf(a, size);
                b = java.util.Arrays.copyOf(b, size);
                s = java.util.Arrays.copyOf(s, size);
            }
            a[count] = i;
            b[count] = j;
            s[count] = similarity;
            count++;
        }

        /** After a block: charge its pairs to the budget; drop the list when the budget is spent. */
        private void settle(int added) {
            if (a == null) {
                return;
            }
            if (budget.get() < 0 || budget.addAndGet(-added) < 0) {
                a = null;
                b = null;
                s = null;
                count = 0;
            }
        }

        /** Pairs (i, j), i in [from, to), j &gt; i: the blocks right of the diagonal and the diagonal's upper half. */
        void scanUpperRows(VectorMatrix m, int from, int to, double threshold) {
            int n = m.rows();
            for (int j0 = from; j0 < n; j0 += PairBlocks.BLOCK) {
                int j1 = Math.min(n, j0 + PairBlocks.BLOCK);
                int width = j1 - j0;
                m.dotBlock(from, to, j0, j1, block);
                int before = count;
                for (int i = from; i < to; i++) {
                    int rowOffset = (i - from) * width - j0;
                    for (int j = Math.max(j0, i + 1); j < j1; j++) {
                        float similarity = block[rowOffset + j];
                        if (similarity >= threshold) {
                            forest.union(i, j);
                            pairs++;
                            if (a != null) {
                                keep(i, j, similarity);
                            }
                        }
                    }
                }
                settle(count - before);
            }
        }
    }

    /** Pairs (a[k], b[k]) with similarity s[k] >= floor, in ascending order of similarity. */
    static final class Pairs {
        final double floor;
        final int[] a;
        final int[] b;
        final float[] s;
        final int count;

        private Pairs(double floor, int[] a, int[] b, float[] s) {
            this.floor = floor;
            this.a = a;
            this.b = b;
            this.s = s;
            this.count = a.length;
        }

        static Pairs sorted(List<PairWorker> workers, double floor) {
            int total = 0;
            for (PairWorker w : workers) {
                total += w.count;
            }
            // sort by similarity with one primitive sort: the float's order-preserving int bits above the pair's
            // position in the concatenated lists
            long[] order = new long[total];
            int[] a = new int[total];
            int[] b = new int[total];
            float[] s = new float[total];
            int k = 0;
            for (PairWorker w : workers) {
                System.arraycopy(w.a, 0, a, k, w.count);
                System.arraycopy(w.b, 0, b, k, w.count);
                System.arraycopy(w.s, 0, s, k, w.count);
                k += w.count;
            }
            for (int i = 0; i < total; i++) {
                order[i] = ((long) sortable(s[i]) << 32) | i;
            }
            java.util.Arrays.sort(order);
            int[] sa = new int[total];
            int[] sb = new int[total];
            float[] ss = new float[total];
            for (int i = 0; i < total; i++) {
                int from = (int) order[i];
                sa[i] = a[from];
                sb[i] = b[from];
                ss[i] = s[from];
            }
            return new Pairs(floor, sa, sb, ss);
        }

        /** Index of the first pair whose similarity is {@code >= threshold} (count when none). */
        int firstAtLeast(double threshold) {
            int lo = 0;
            int hi = count;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (s[mid] >= threshold) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /** An int whose signed order is the float's numeric order (NaN aside). */
        private static int sortable(float f) {
            int bits = Float.floatToIntBits(f);
            return bits ^ ((bits >> 31) & 0x7fffffff);
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
