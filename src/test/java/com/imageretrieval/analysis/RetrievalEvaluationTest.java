package com.imageretrieval.analysis;

import static com.imageretrieval.testing.TestSnapshots.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.testing.TestSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RetrievalEvaluationTest {

    private static final double EPS = 1e-12;

    /**
     * Four labelled 2-d vectors and one unlabelled; every figure derived by hand (scores are small integers, exact
     * in float). Rows: A/0 (2,0), A/1 (1,1), B/0 (2,1), B/1 (0,2), x.jpg (2,0) at the root.
     * <pre>
     * query A/0: B/0 4, A/1 2, B/1 0           -> ranking B A B: P@1 0, AP (1/2)/1 = 1/2
     * query A/1: B/0 3, A/0 2, B/1 2 (tie, path order) -> B A B: P@1 0, AP 1/2
     * query B/0: A/0 4, A/1 3, B/1 2           -> A A B: P@1 0, AP (1/3)/1 = 1/3
     * query B/1: A/1 2, B/0 2 (tie), A/0 0     -> A B A: P@1 0, AP 1/2
     * </pre>
     * P@5 = 1/5 and P@10 = 1/10 for every query (one relevant image, three ranked). The unlabelled x.jpg equals A/0:
     * were it ranked as a non-relevant image, A/0's ranking would be B/0 4, x 4, A/1 2 and its AP 1/3, and B/0's
     * top-1 could be x; so these figures also show that it is left out entirely.
     */
    @Test
    void handDerivedFiguresIncludingTiesAndAnUnlabelledImage() throws Exception {
        IndexSnapshot s = TestSnapshots.of(List.of(
                item("A/0.jpg", 2, 0), item("A/1.jpg", 1, 1), item("B/0.jpg", 2, 1), item("B/1.jpg", 0, 2),
                item("x.jpg", 2, 0)));
        EvaluationResult r = RetrievalEvaluation.evaluate(s);
        assertEquals(4, r.images());
        assertEquals(4, r.queries());
        assertEquals(1, r.unlabelled());
        assertEquals(0.0, r.overall().p1(), EPS);
        assertEquals(0.2, r.overall().p5(), EPS);
        assertEquals(0.1, r.overall().p10(), EPS);
        assertEquals(11.0 / 24, r.overall().map(), EPS);
        assertEquals(4, r.overall().queries());
        assertEquals(0.5, r.perClass().get("A").map(), EPS);
        assertEquals(5.0 / 12, r.perClass().get("B").map(), EPS);
        assertEquals(2, r.perClass().get("B").queries());
        assertEquals(Map.of("A", Map.of("B", 2), "B", Map.of("A", 2)), r.confusion());
        assertEquals(List.of("A", "B"), new ArrayList<>(r.perClass().keySet()));
    }

    /**
     * Two classes share one colour exactly (identical vectors: every score ties, path order decides), a third is
     * apart. For crimson/c0 the ranking is crimson/c1, crimson/c2, red/r0, red/r1, red/r2, then blue: AP 1, P@5 2/5,
     * P@10 2/10. For red/r0: crimson x3, red/r1, red/r2: relevant at ranks 4 and 5, AP (1/4 + 2/5) / 2 = 0.325,
     * P@1 0, P@5 2/5; red/r1: crimson x3, r0, r2 - the same; red/r2 too. Blue: AP 1, P@1 1, P@5 2/5 (2 others).
     */
    @Test
    void classesSharingAColourGiveTheHandDerivedFigures() throws Exception {
        List<TestSnapshots.Item> items = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            items.add(item("crimson/c" + i + ".png", 0.9f, 0.1f, 0));
            items.add(item("red/r" + i + ".png", 0.9f, 0.1f, 0));
            items.add(item("blue/b" + i + ".png", 0, 0.2f, 0.95f + 0.01f * i));
        }
        EvaluationResult r = RetrievalEvaluation.evaluate(TestSnapshots.of(items));
        RetrievalMetrics crimson = r.perClass().get("crimson");
        RetrievalMetrics red = r.perClass().get("red");
        RetrievalMetrics blue = r.perClass().get("blue");
        assertEquals(1.0, crimson.p1(), EPS);
        assertEquals(1.0, crimson.map(), EPS);
        assertEquals(0.4, crimson.p5(), EPS);
        assertEquals(0.2, crimson.p10(), EPS);
        assertEquals(0.0, red.p1(), EPS);
        assertEquals(0.325, red.map(), EPS);
        assertEquals(0.4, red.p5(), EPS);
        assertEquals(1.0, blue.p1(), EPS);
        assertEquals(1.0, blue.map(), EPS);
        assertEquals((3 * 1.0 + 3 * 0.325 + 3 * 1.0) / 9, r.overall().map(), EPS);
        assertEquals(6.0 / 9, r.overall().p1(), EPS);
        assertEquals(Map.of("crimson", 3), r.confusion().get("crimson"));
        assertEquals(Map.of("crimson", 3), r.confusion().get("red"));
        assertEquals(Map.of("blue", 3), r.confusion().get("blue"));
    }

    /**
     * A larger mixed set, checked against a plain re-implementation: integer vectors, so every score is exact in
     * float and in long arithmetic and ties (decided by path) are frequent; some images unlabelled, some labels with
     * a single image (no query). Over 64 rows, so several blocks and threads are involved.
     */
    @Test
    void randomIntegerSetEqualsBruteForce() throws Exception {
        Random rnd = new Random(21);
        String[] labels = {"a", "b", "c", "d", "solo", ""};
        for (int trial = 0; trial < 3; trial++) {
            List<TestSnapshots.Item> items = new ArrayList<>();
            boolean soloUsed = false;
            for (int i = 0; i < 150 + 20 * trial; i++) {
                String label = labels[rnd.nextInt(labels.length)];
                if (label.equals("solo")) {
                    if (soloUsed) {
                        label = "a";
                    }
                    soloUsed = true;
                }
                float[] v = new float[6];
                for (int d = 0; d < v.length; d++) {
                    // label-dependent mean so the figures are neither 0 nor 1
                    v[d] = rnd.nextInt(5) - 2 + (label.isEmpty() ? 0 : (label.charAt(0) % 6 == d ? 2 : 0));
                }
                items.add(item((label.isEmpty() ? "" : label + "/") + String.format("%04d.jpg", i), v));
            }
            IndexSnapshot s = TestSnapshots.of(items);
            EvaluationResult actual = RetrievalEvaluation.evaluate(s);
            BruteForce expected = new BruteForce(s);
            assertEquals(expected.queries, actual.queries());
            assertEquals(expected.labelled, actual.images());
            assertMetrics(expected.overall(), actual.overall());
            assertEquals(expected.perClass.keySet(), actual.perClass().keySet());
            for (String label : expected.perClass.keySet()) {
                assertMetrics(expected.metrics(expected.perClass.get(label)), actual.perClass().get(label));
            }
            assertEquals(expected.confusion, actual.confusion());
            assertTrue(actual.overall().map() > 0.2 && actual.overall().map() < 0.95, "a mixed result: "
                    + actual.overall());
            assertTrue(!actual.perClass().containsKey("solo") && !actual.perClass().containsKey(""));
            assertSameFigures(actual, RetrievalEvaluation.evaluate(s, 0));
        }
    }

    /** The full-matrix way (each pair once) and the memory-bounded way (each pair twice) give identical figures. */
    @Test
    void bothWaysOfScoringGiveIdenticalFigures() throws Exception {
        Random rnd = new Random(22);
        List<TestSnapshots.Item> items = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            float[] v = new float[37];
            for (int d = 0; d < v.length; d++) {
                v[d] = (float) rnd.nextGaussian() + (d == i % 4 ? 1.5f : 0f);
            }
            items.add(item("c" + (i % 4) + "/" + String.format("%04d.jpg", i), v));
        }
        IndexSnapshot s = TestSnapshots.of(items);
        EvaluationResult full = RetrievalEvaluation.evaluate(s, Long.MAX_VALUE);
        EvaluationResult bounded = RetrievalEvaluation.evaluate(s, 0);
        assertSameFigures(full, bounded);
        assertTrue(full.overall().map() > 0.3 && full.overall().map() < 0.99, full.overall().toString());
    }

    private static void assertSameFigures(EvaluationResult a, EvaluationResult b) {
        assertEquals(a.overall(), b.overall());
        assertEquals(a.perClass(), b.perClass());
        assertEquals(a.confusion(), b.confusion());
        assertEquals(a.images(), b.images());
        assertEquals(a.queries(), b.queries());
        assertEquals(a.unlabelled(), b.unlabelled());
    }

    private static void assertMetrics(RetrievalMetrics expected, RetrievalMetrics actual) {
        assertEquals(expected.queries(), actual.queries());
        assertEquals(expected.p1(), actual.p1(), EPS, "P@1");
        assertEquals(expected.p5(), actual.p5(), EPS, "P@5");
        assertEquals(expected.p10(), actual.p10(), EPS, "P@10");
        assertEquals(expected.map(), actual.map(), EPS, "mAP");
    }

    /** The definitions of RetrievalEvaluation written out the slow, obvious way (exact integer scores). */
    private static final class BruteForce {
        final Map<String, List<double[]>> perClass = new TreeMap<>();
        final List<double[]> all = new ArrayList<>();
        final Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        int queries;
        int labelled;

        BruteForce(IndexSnapshot s) {
            List<ImageRecord> images = s.images();
            int n = images.size();
            for (ImageRecord r : images) {
                labelled += r.label().isEmpty() ? 0 : 1;
            }
            for (int q = 0; q < n; q++) {
                String label = images.get(q).label();
                if (label.isEmpty()) {
                    continue;
                }
                List<Integer> others = new ArrayList<>();
                int relevant = 0;
                for (int j = 0; j < n; j++) {
                    if (j != q && !images.get(j).label().isEmpty()) {
                        others.add(j);
                        relevant += images.get(j).label().equals(label) ? 1 : 0;
                    }
                }
                if (relevant == 0) {
                    continue;
                }
                float[] qv = s.vector(q);
                others.sort((x, y) -> {
                    int c = Long.compare(dot(qv, s.vector(y)), dot(qv, s.vector(x)));
                    return c != 0 ? c : images.get(x).path().compareTo(images.get(y).path());
                });
                int hits = 0;
                double sum = 0;
                double[] p = new double[11];
                for (int i = 0; i < others.size(); i++) {
                    if (images.get(others.get(i)).label().equals(label)) {
                        hits++;
                        sum += (double) hits / (i + 1);
                    }
                    if (i < 10) {
                        p[i + 1] = hits;
                    }
                }
                for (int k = others.size() + 1; k <= 10; k++) {
                    p[k] = hits;
                }
                double[] f = {p[1] / 1, p[5] / 5, p[10] / 10, sum / relevant};
                all.add(f);
                perClass.computeIfAbsent(label, x -> new ArrayList<>()).add(f);
                confusion.computeIfAbsent(label, x -> new TreeMap<>())
                        .merge(images.get(others.get(0)).label(), 1, Integer::sum);
                queries++;
            }
        }

        static long dot(float[] a, float[] b) {
            long s = 0;
            for (int i = 0; i < a.length; i++) {
                s += (long) a[i] * (long) b[i];
            }
            return s;
        }

        RetrievalMetrics overall() {
            return metrics(all);
        }

        RetrievalMetrics metrics(List<double[]> fs) {
            double[] sum = new double[4];
            for (double[] f : fs) {
                for (int i = 0; i < 4; i++) {
                    sum[i] += f[i];
                }
            }
            int n = fs.size();
            return new RetrievalMetrics(sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n, n);
        }
    }

    @Test
    void noLabelOrNoPairIsAClearError() {
        EvaluationException none = assertThrows(EvaluationException.class, () -> RetrievalEvaluation.evaluate(
                TestSnapshots.of(List.of(item("a.jpg", 1, 0), item("b.jpg", 0, 1)))));
        assertTrue(none.getMessage().contains("no image has a label"), none.getMessage());
        EvaluationException single = assertThrows(EvaluationException.class, () -> RetrievalEvaluation.evaluate(
                TestSnapshots.of(List.of(item("x/a.jpg", 1, 0), item("y/b.jpg", 0, 1)))));
        assertTrue(single.getMessage().contains("two or more"), single.getMessage());
    }

    @Test
    void cachedPerIndexContent() throws Exception {
        List<TestSnapshots.Item> items = List.of(item("A/0.jpg", 2, 0), item("A/1.jpg", 1, 1), item("B/0.jpg", 2, 1),
                item("B/1.jpg", 0, 2));
        IndexSnapshot first = TestSnapshots.of(items);
        RetrievalEvaluation evaluation = new RetrievalEvaluation();
        EvaluationResult a = evaluation.of(first);
        assertSame(a, evaluation.of(first));
        // a rebuild that changed nothing: another snapshot instance, same records and vectors
        assertSame(a, evaluation.of(TestSnapshots.of(items)));
        // one vector changed (same records): computed again
        List<TestSnapshots.Item> moved = new ArrayList<>(items);
        moved.set(3, item("B/1.jpg", 2, 2));
        EvaluationResult b = evaluation.of(TestSnapshots.of(moved));
        assertNotSame(a, b);
        assertEquals(RetrievalEvaluation.evaluate(TestSnapshots.of(moved)).overall(), b.overall());
        // one record changed (a renamed file, same vectors): computed again
        List<TestSnapshots.Item> renamed = new ArrayList<>(moved);
        renamed.set(0, item("A/00.jpg", 2, 0));
        assertNotSame(b, evaluation.of(TestSnapshots.of(renamed)));
    }

    @Test
    void sortKeyOrdersLikeASearch() {
        float[] scores = {1f, 0.5f, 0.5f, 0f, -0f, -0.25f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE};
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            keys.add(new long[] {RetrievalEvaluation.sortKey(scores[i], i), i});
        }
        keys.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 1; i < keys.size(); i++) {
            int prev = (int) keys.get(i - 1)[1];
            int cur = (int) keys.get(i)[1];
            int c = Float.compare(scores[cur], scores[prev]);
            assertTrue(c < 0 || (c == 0 && cur > prev), scores[prev] + "@" + prev + " before " + scores[cur] + "@" + cur);
        }
    }
}
