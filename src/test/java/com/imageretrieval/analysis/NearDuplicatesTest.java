package com.imageretrieval.analysis;

import static com.imageretrieval.testing.TestSnapshots.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.testing.TestSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearDuplicatesTest {

    private static float[] unit(double[] v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) (v[i] / Math.sqrt(n));
        }
        return f;
    }

    private static double[] gaussian(Random rnd, int dim) {
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Paths of each group, in report order. */
    private static List<List<String>> paths(DuplicateReport r) {
        List<List<String>> out = new ArrayList<>();
        for (DuplicateGroup g : r.groups()) {
            out.add(g.members().stream().map(m -> m.image().path()).toList());
        }
        return out;
    }

    /**
     * Clusters of perturbed copies of random directions (cosine to their centre ~0.995 or ~0.9) among unrelated
     * vectors, over several 64-row blocks; the components must equal a breadth-first search over all pairs scored
     * in double precision. No pair lies within 1e-4 of the threshold, so float and double agree on every edge.
     */
    @Test
    void componentsEqualBruteForceOverAllPairs() {
        Random rnd = new Random(31);
        int dim = 48;
        List<TestSnapshots.Item> items = new ArrayList<>();
        int id = 0;
        for (int c = 0; c < 40; c++) {
            double[] centre = gaussian(rnd, dim);
            int copies = 1 + rnd.nextInt(4);
            double noise = rnd.nextBoolean() ? 0.1 : 0.45;
            for (int k = 0; k < copies; k++) {
                double[] v = centre.clone();
                for (int i = 0; i < dim; i++) {
                    v[i] += noise * rnd.nextGaussian();
                }
                items.add(item(String.format("c%02d/%04d.jpg", c % 7, id++), unit(v)));
            }
        }
        for (int i = 0; i < 120; i++) {
            items.add(item(String.format("z/%04d.jpg", id++), unit(gaussian(rnd, dim))));
        }
        IndexSnapshot s = TestSnapshots.of(items);
        double threshold = 0.98;
        int n = s.size();
        assertTrue(n > 3 * 64, "several blocks");

        int[] component = new int[n];
        java.util.Arrays.fill(component, -1);
        List<List<String>> expected = new ArrayList<>();
        long expectedPairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = dot(s.vector(i), s.vector(j));
                assertTrue(Math.abs(d - threshold) > 1e-4, "no pair on the edge");
                expectedPairs += d >= threshold ? 1 : 0;
            }
        }
        for (int i = 0; i < n; i++) {
            if (component[i] >= 0) {
                continue;
            }
            List<Integer> members = new ArrayList<>();
            java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>(List.of(i));
            component[i] = i;
            while (!todo.isEmpty()) {
                int a = todo.poll();
                members.add(a);
                for (int b = 0; b < n; b++) {
                    if (component[b] < 0 && dot(s.vector(a), s.vector(b)) >= threshold) {
                        component[b] = i;
                        todo.add(b);
                    }
                }
            }
            if (members.size() > 1) {
                expected.add(members.stream().map(r -> s.images().get(r).path()).sorted().toList());
            }
        }
        expected.sort(Comparator.<List<String>>comparingInt(g -> -g.size()).thenComparing(g -> g.get(0)));

        DuplicateReport r = NearDuplicates.compute(s, threshold);
        assertTrue(expected.size() >= 10, "the set has groups: " + expected.size());
        assertEquals(expected, paths(r));
        assertEquals(expectedPairs, r.pairs());
        assertEquals(n, r.images());
        for (DuplicateGroup g : r.groups()) {
            assertFalse(g.exact(), "distinct hashes");
            float[] first = s.vector(s.rowOf(g.members().get(0).image().id()).orElseThrow());
            for (DuplicateGroup.Member m : g.members()) {
                float[] v = s.vector(s.rowOf(m.image().id()).orElseThrow());
                assertEquals(dot(first, v), m.similarity(), 1e-5);
                assertFalse(m.identical());
            }
        }
        // same answer again (no state, no thread-order effects)
        assertEquals(paths(r), paths(NearDuplicates.compute(s, threshold)));
    }

    @Test
    void byteIdenticalFilesAreGroupedByHashWhateverTheirVectors() {
        // two files with one hash but (impossibly for a real model, deliberately here) orthogonal vectors
        List<TestSnapshots.Item> items = List.of(
                new TestSnapshots.Item("a/1.jpg", "same", new float[] {1, 0, 0}),
                new TestSnapshots.Item("b/2.jpg", "same", new float[] {0, 1, 0}),
                new TestSnapshots.Item("b/3.jpg", "other", new float[] {0, 0, 1}),
                new TestSnapshots.Item("c/4.jpg", "third", new float[] {0.6f, 0.8f, 0}));
        DuplicateReport r = NearDuplicates.compute(TestSnapshots.of(items), 0.98);
        assertEquals(List.of(List.of("a/1.jpg", "b/2.jpg")), paths(r));
        DuplicateGroup g = r.groups().get(0);
        assertTrue(g.exact());
        assertEquals("same", g.sha256());
        assertTrue(g.members().stream().allMatch(DuplicateGroup.Member::identical));
        assertEquals(0f, g.members().get(1).similarity());
        assertEquals(0, r.pairs());
    }

    @Test
    void aChainIsOneGroupAndAMixedGroupIsNotExact() {
        // 1-2 and 2-3 are above 0.98, 1-3 is not: one component; 4 is a byte copy of 3
        float[] v1 = {1, 0};
        float[] v2 = unit(new double[] {Math.cos(0.15), Math.sin(0.15)});
        float[] v3 = unit(new double[] {Math.cos(0.30), Math.sin(0.30)});
        List<TestSnapshots.Item> items = List.of(
                new TestSnapshots.Item("p/1.jpg", "h1", v1), new TestSnapshots.Item("p/2.jpg", "h2", v2),
                new TestSnapshots.Item("p/3.jpg", "h3", v3), new TestSnapshots.Item("p/4.jpg", "h3", v3.clone()),
                new TestSnapshots.Item("q/5.jpg", "h5", new float[] {0, 1}));
        assertTrue(dot(v1, v2) >= 0.98 && dot(v2, v3) >= 0.98 && dot(v1, v3) < 0.98);
        DuplicateReport r = NearDuplicates.compute(TestSnapshots.of(items), 0.98);
        assertEquals(List.of(List.of("p/1.jpg", "p/2.jpg", "p/3.jpg", "p/4.jpg")), paths(r));
        DuplicateGroup g = r.groups().get(0);
        assertFalse(g.exact());
        assertEquals(null, g.sha256());
        assertEquals(List.of(false, false, true, true),
                g.members().stream().map(DuplicateGroup.Member::identical).toList());
        assertTrue(g.members().get(2).similarity() < 0.98f, "measured against the first member");
    }

    @Test
    void badThresholdIsRejectedAndTheCacheIsPerSnapshotAndThreshold() {
        IndexSnapshot s = TestSnapshots.of(List.of(item("a/1.jpg", 1, 0), item("a/2.jpg", 1, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NearDuplicates.compute(s, 1.5));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NearDuplicates.compute(s, Double.NaN));
        NearDuplicates finder = new NearDuplicates();
        DuplicateReport a = finder.find(s, 0.98);
        assertSame(a, finder.find(s, 0.98));
        assertNotSame(a, finder.find(s, 0.9));
        // same content in a new snapshot (a rebuild that changed nothing): the same report
        IndexSnapshot again = TestSnapshots.of(List.of(item("a/1.jpg", 1, 0), item("a/2.jpg", 1, 0)));
        DuplicateReport at09 = finder.find(s, 0.9);
        assertSame(at09, finder.find(again, 0.9));
        IndexSnapshot changed = TestSnapshots.of(List.of(item("a/1.jpg", 1, 0), item("a/2.jpg", 0, 1)));
        DuplicateReport none = finder.find(changed, 0.9);
        assertNotSame(at09, none);
        assertEquals(List.of(), none.groups());
        assertEquals(List.of(List.of("a/1.jpg", "a/2.jpg")), paths(a));
    }
    /**
     * A new threshold is answered from the pairs kept by the first scan when it is not lower than the kept one: the
     * same groups and pair count as a full scan, without scanning again; a lower threshold scans (and keeps its
     * longer list); a scan whose pairs exceed the bound keeps none, and each later threshold scans, still exact.
     */
    @Test
    void aHigherThresholdReusesTheKeptPairsAndEqualsAFullScan() {
        Random rnd = new Random(7);
        int dim = 24;
        List<TestSnapshots.Item> items = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            double[] centre = gaussian(rnd, dim);
            for (int k = 0; k < 6; k++) {
                double[] v = centre.clone();
                double noise = 0.02 + 0.06 * rnd.nextDouble();
                for (int d = 0; d < dim; d++) {
                    v[d] += noise * rnd.nextGaussian() * Math.sqrt(dim) / 4;
                }
                items.add(item(String.format("c%02d/%d.jpg", c, k), unit(v)));
            }
        }
        for (int i = 0; i < 100; i++) {
            items.add(item(String.format("z/%03d.jpg", i), unit(gaussian(rnd, dim))));
        }
        IndexSnapshot s = TestSnapshots.of(items);

        NearDuplicates finder = new NearDuplicates();
        double[] thresholds = {0.9, 0.95, 0.99, 0.93, 0.9999, 0.9};
        for (double t : thresholds) {
            DuplicateReport r = finder.find(s, t);
            DuplicateReport full = NearDuplicates.compute(s, t);
            assertEquals(paths(full), paths(r), "threshold " + t);
            assertEquals(full.pairs(), r.pairs(), "threshold " + t);
        }
        assertEquals(1, finder.scans(), "only the first threshold scans");
        assertTrue(finder.find(s, 0.9).pairs() > 0, "the data must have pairs for this test to mean anything");
        DuplicateReport lower = finder.find(s, 0.7);
        assertEquals(paths(NearDuplicates.compute(s, 0.7)), paths(lower));
        assertEquals(2, finder.scans(), "a lower threshold scans");
        finder.find(s, 0.8);
        assertEquals(2, finder.scans(), "and keeps its pairs for what lies above it");

        NearDuplicates bounded = new NearDuplicates(5);
        for (double t : new double[] {0.9, 0.95, 0.99}) {
            DuplicateReport r = bounded.find(s, t);
            assertEquals(paths(NearDuplicates.compute(s, t)), paths(r), "bounded, threshold " + t);
            assertTrue(r.pairs() > 5, "too few pairs to exceed the bound at " + t);
        }
        assertEquals(3, bounded.scans(), "nothing kept beyond the bound: each threshold scans");
    }
}
