package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VectorMatrixTest {

    /** The reference: score every row, sort everything (score descending, row ascending), cut at k. */
    private static List<VectorMatrix.Scored> fullSort(VectorMatrix m, float[] q, int k) {
        List<VectorMatrix.Scored> all = new ArrayList<>();
        for (int r = 0; r < m.rows(); r++) {
            all.add(new VectorMatrix.Scored(r, m.dot(r, q)));
        }
        all.sort(Comparator.comparing(VectorMatrix.Scored::score, (a, b) -> Float.compare(b, a))
                .thenComparingInt(VectorMatrix.Scored::row));
        return all.subList(0, Math.min(k, all.size()));
    }

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

    private static VectorMatrix random(Random rnd, int rows, int dim, int duplicates) {
        List<float[]> vs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            // some rows repeat an earlier row exactly: equal scores, the lower row must come first
            vs.add(r >= duplicates && rnd.nextInt(4) == 0 ? vs.get(rnd.nextInt(r)).clone() : randomUnit(rnd, dim));
        }
        return VectorMatrix.of(vs, dim);
    }

    @Test
    void topKEqualsFullSortForManyKWithTies() {
        Random rnd = new Random(7);
        for (int dim : new int[] {1, 3, 8, 13, 64}) {
            VectorMatrix m = random(rnd, 300, dim, 10);
            for (int trial = 0; trial < 5; trial++) {
                float[] q = trial == 0 ? m.row(rnd.nextInt(m.rows())) : randomUnit(rnd, dim);
                for (int k : new int[] {0, 1, 2, 5, 12, 50, 299, 300, 301, 1000}) {
                    assertEquals(fullSort(m, q, k), m.topK(q, k), "dim " + dim + " k " + k);
                }
            }
        }
    }

    @Test
    void allEqualScoresComeOutInRowOrder() {
        List<float[]> same = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            same.add(new float[] {0.6f, 0.8f});
        }
        VectorMatrix m = VectorMatrix.of(same, 2);
        List<VectorMatrix.Scored> top = m.topK(new float[] {1, 0}, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, top.get(i).row());
        }
    }

    @Test
    void largeMatrixTakesTheParallelPathAndStillMatchesFullSort() {
        Random rnd = new Random(11);
        int dim = 512;
        int rows = VectorMatrix.PARALLEL_THRESHOLD / dim + 37;
        VectorMatrix m = random(rnd, rows, dim, 50);
        assertTrue((long) rows * dim >= VectorMatrix.PARALLEL_THRESHOLD);
        for (int trial = 0; trial < 3; trial++) {
            float[] q = trial == 0 ? m.row(rows - 1) : randomUnit(rnd, dim);
            for (int k : new int[] {1, 12, 100, rows}) {
                assertEquals(fullSort(m, q, k), m.topK(q, k), "k " + k);
            }
        }
    }

    @Test
    void concurrentSearchesOnTheParallelPathAreAllExact() throws Exception {
        Random rnd = new Random(13);
        int dim = 256;
        VectorMatrix m = random(rnd, VectorMatrix.PARALLEL_THRESHOLD / dim * 2 + 5, dim, 20);
        List<float[]> queries = new ArrayList<>();
        List<List<VectorMatrix.Scored>> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] q = randomUnit(rnd, dim);
            queries.add(q);
            expected.add(fullSort(m, q, 10));
        }
        java.util.concurrent.ExecutorService users = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int offset = t;
                results.add(users.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        int n = (i + offset) % queries.size();
                        if (!expected.get(n).equals(m.topK(queries.get(n), 10))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertTrue(r.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            users.shutdown();
        }
    }

    @Test
    void aRowIsItsOwnBestMatch() {
        Random rnd = new Random(3);
        VectorMatrix m = random(rnd, 100, 32, 100);
        for (int r = 0; r < 100; r += 9) {
            VectorMatrix.Scored best = m.topK(m.row(r), 1).get(0);
            assertEquals(r, best.row());
            assertEquals(1f, best.score(), 1e-5f);
        }
    }

    @Test
    void rejectsBadShapesAndQueries() {
        VectorMatrix m = new VectorMatrix(new float[6], 2, 3);
        assertThrows(IllegalArgumentException.class, () -> m.topK(new float[2], 1));
        assertThrows(IllegalArgumentException.class, () -> m.topK(new float[3], -1));
        assertThrows(IllegalArgumentException.class, () -> new VectorMatrix(new float[5], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> m.row(2));
        assertEquals(List.of(), new VectorMatrix(new float[0], 0, 3).topK(new float[3], 5));
    }
}
