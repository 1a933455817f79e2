package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/** Label filter, lowest similarity and "more like this", each checked against a full sort of every row. */
class FilteredSearchTest {

    private static final String[] LABELS = {"daisy", "roses", "tulips", ""};

    private static float[] randomUnit(Random rnd, int dim) {
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rnd.nextGaussian();
            n += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    /** Rows with random labels; some rows repeat an earlier vector exactly, so equal scores occur. */
    private static IndexSnapshot snapshot(Random rnd, int rows, int dim) {
        List<float[]> vs = new ArrayList<>();
        List<ImageRecord> records = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            vs.add(r > 5 && rnd.nextInt(5) == 0 ? vs.get(rnd.nextInt(r)).clone() : randomUnit(rnd, dim));
            String label = LABELS[rnd.nextInt(LABELS.length)];
            String path = (label.isEmpty() ? "" : label + "/") + String.format("img_%05d.jpg", r);
            records.add(new ImageRecord(1000 + r, path, label, 1, 1, "h" + r, 1, 1));
        }
        // rows must be in path order, as the store delivers them
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            order.add(r);
        }
        order.sort(Comparator.comparing(r -> records.get(r).path()));
        List<float[]> sortedVs = new ArrayList<>();
        List<ImageRecord> sortedRecords = new ArrayList<>();
        for (int r : order) {
            sortedVs.add(vs.get(r));
            sortedRecords.add(records.get(r));
        }
        return new IndexSnapshot(sortedRecords, VectorMatrix.of(sortedVs, dim),
                new IndexMetadata("test", "hash", dim, "cpu", Instant.EPOCH, rows));
    }

    /** The reference: score every row with {@link VectorMatrix#dot}, keep what passes, sort, cut at k. */
    private static List<SearchHit> bruteForce(IndexSnapshot s, float[] q, int k, SearchFilter f, long excludedId) {
        VectorMatrix m = s.vectors();
        List<VectorMatrix.Scored> all = new ArrayList<>();
        for (int r = 0; r < m.rows(); r++) {
            ImageRecord image = s.images().get(r);
            float score = m.dot(r, q);
            if (image.id() != excludedId && f.accepts(image, score)) {
                all.add(new VectorMatrix.Scored(r, score));
            }
        }
        all.sort(Comparator.comparing(VectorMatrix.Scored::score, (a, b) -> Float.compare(b, a))
                .thenComparingInt(VectorMatrix.Scored::row));
        List<SearchHit> hits = new ArrayList<>();
        for (int i = 0; i < Math.min(k, all.size()); i++) {
            hits.add(new SearchHit(i + 1, all.get(i).score(), s.images().get(all.get(i).row())));
        }
        return hits;
    }

    private static List<SearchFilter> filters(Random rnd) {
        List<SearchFilter> fs = new ArrayList<>();
        fs.add(SearchFilter.NONE);
        for (String label : LABELS) {
            fs.add(SearchFilter.label(label));
        }
        fs.add(SearchFilter.label("no-such-class"));
        fs.add(SearchFilter.minSimilarity(0.1f));
        fs.add(SearchFilter.minSimilarity(-1f));
        fs.add(SearchFilter.minSimilarity(1f));
        fs.add(new SearchFilter("roses", 0.05f));
        fs.add(new SearchFilter("daisy", (float) rnd.nextGaussian() * 0.1f));
        return fs;
    }

    @Test
    void filteredSearchEqualsBruteForceSmallAndParallelSizes() {
        Random rnd = new Random(11);
        // 300 x 16 scans on one thread; 700 x 1024 is above VectorMatrix.PARALLEL_THRESHOLD (row ranges in a pool)
        for (int[] shape : new int[][] {{300, 16}, {700, 1024}}) {
            assertEquals(shape[0] * shape[1] >= VectorMatrix.PARALLEL_THRESHOLD, shape[0] == 700);
            IndexSnapshot s = snapshot(rnd, shape[0], shape[1]);
            for (int trial = 0; trial < 4; trial++) {
                float[] q = trial == 0 ? s.vector(rnd.nextInt(s.size())) : randomUnit(rnd, shape[1]);
                for (SearchFilter f : filters(rnd)) {
                    for (int k : new int[] {0, 1, 7, 60, shape[0], shape[0] + 5}) {
                        assertEquals(bruteForce(s, q, k, f, Long.MIN_VALUE), s.search(q, k, f),
                                shape[0] + "x" + shape[1] + " " + f + " k=" + k);
                    }
                }
            }
        }
    }

    @Test
    void similarLeavesTheImageOutAndHonoursTheFilterExactly() {
        Random rnd = new Random(12);
        IndexSnapshot s = snapshot(rnd, 400, 24);
        for (int trial = 0; trial < 25; trial++) {
            ImageRecord image = s.images().get(rnd.nextInt(s.size()));
            float[] own = s.vector(s.rowOf(image.id()).orElseThrow());
            for (SearchFilter f : filters(rnd)) {
                for (int k : new int[] {1, 10, 399, 400, 1000}) {
                    List<SearchHit> hits = s.similar(image.id(), k, f).orElseThrow().hits();
                    assertEquals(bruteForce(s, own, k, f, image.id()), hits, f + " k=" + k);
                    assertTrue(hits.stream().noneMatch(h -> h.image().id() == image.id()), "the image itself");
                }
            }
        }
    }

    @Test
    void similarKeepsAnExactCopyOfTheImageFirst() {
        Random rnd = new Random(13);
        IndexSnapshot s = snapshot(rnd, 200, 8);
        // find a row whose vector another row repeats: the copy must come first with similarity of the image itself
        VectorMatrix m = s.vectors();
        boolean checked = false;
        for (int a = 0; a < m.rows() && !checked; a++) {
            for (int b = 0; b < m.rows(); b++) {
                if (a != b && java.util.Arrays.equals(m.row(a), m.row(b))) {
                    SearchHit first = s.similar(s.images().get(a).id(), 1, SearchFilter.NONE).orElseThrow().hits().get(0);
                    assertEquals(m.dot(a, m.row(a)), first.similarity());
                    assertFalse(first.image().id() == s.images().get(a).id());
                    checked = true;
                    break;
                }
            }
        }
        assertTrue(checked, "the generated set has repeated vectors");
    }

    @Test
    void unknownIdIsEmptyAndBadArgumentsAreRejected() {
        IndexSnapshot s = snapshot(new Random(14), 20, 4);
        assertTrue(s.similar(-5, 10, SearchFilter.NONE).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> s.similar(s.images().get(0).id(), -1, null));
        assertThrows(IllegalArgumentException.class, () -> s.search(new float[3], 5, SearchFilter.label("daisy")));
        assertThrows(IllegalArgumentException.class, () -> s.search(new float[4], -1, SearchFilter.label("x")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SearchFilter(null, 1.5f));
        assertTrue(e.getMessage().contains("minSimilarity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SearchFilter("a", Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> SearchFilter.minSimilarity(-1.01f));
        // a null filter is no filter
        float[] q = s.vector(3);
        assertEquals(s.search(q, 5), s.search(q, 5, null));
    }

    @Test
    void predicateRejectedRowsAreNeverScoredAndTopKMatchesUnfilteredWhenAllPass() {
        Random rnd = new Random(15);
        IndexSnapshot s = snapshot(rnd, 150, 12);
        VectorMatrix m = s.vectors();
        float[] q = randomUnit(rnd, 12);
        IntPredicate all = r -> true;
        assertEquals(m.topK(q, 30), m.topK(q, 30, all, Float.NEGATIVE_INFINITY));
        IntPredicate even = r -> r % 2 == 0;
        for (VectorMatrix.Scored sc : m.topK(q, 150, even, 0f)) {
            assertEquals(0, sc.row() % 2);
            assertTrue(sc.score() >= 0f);
        }
    }

    @Test
    void dotBlockIsSymmetricBlockIndependentAndCloseToDot() {
        Random rnd = new Random(16);
        for (int dim : new int[] {1, 2, 7, 64, 129}) {
            List<float[]> vs = new ArrayList<>();
            for (int r = 0; r < 37; r++) {
                vs.add(randomUnit(rnd, dim));
            }
            VectorMatrix m = VectorMatrix.of(vs, dim);
            float[] full = new float[37 * 37];
            m.dotBlock(0, 37, 0, 37, full);
            float[] part = new float[13 * 9];
            int i0 = 5;
            int j0 = 20;
            m.dotBlock(i0, i0 + 13, j0, j0 + 9, part);
            for (int i = 0; i < 37; i++) {
                for (int j = 0; j < 37; j++) {
                    assertEquals(full[i * 37 + j], full[j * 37 + i], "symmetric " + i + "," + j);
                    assertEquals(m.dot(i, vs.get(j)), full[i * 37 + j], 1e-5f);
                    if (i >= i0 && i < i0 + 13 && j >= j0 && j < j0 + 9) {
                        assertEquals(full[i * 37 + j], part[(i - i0) * 9 + (j - j0)], "block-independent");
                    }
                }
            }
            float[] one = new float[1];
            m.dotBlock(36, 37, 2, 3, one);
            assertEquals(full[36 * 37 + 2], one[0]);
        }
        VectorMatrix m = VectorMatrix.of(List.of(new float[] {1, 0}, new float[] {0, 1}), 2);
        assertTrue(m.contentEquals(VectorMatrix.of(List.of(new float[] {1, 0}, new float[] {0, 1}), 2)));
        assertFalse(m.contentEquals(VectorMatrix.of(List.of(new float[] {1, 0}, new float[] {0, -1}), 2)));
        assertFalse(m.contentEquals(VectorMatrix.of(List.of(new float[] {1, 0, 0, 1}), 4)));
        assertFalse(m.contentEquals(null));
        assertThrows(IndexOutOfBoundsException.class, () -> m.dotBlock(0, 3, 0, 1, new float[9]));
        assertThrows(IllegalArgumentException.class, () -> m.dotBlock(0, 2, 0, 2, new float[3]));
    }
}
