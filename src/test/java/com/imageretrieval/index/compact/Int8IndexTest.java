package com.imageretrieval.index.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.bench.SyntheticVectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Int8IndexTest {

    private static final int DIM = 2048;
    private static final int ROWS = 4000;
    private static SyntheticVectors gen;
    private static float[] data;
    private static Int8Index index;

    @BeforeAll
    static void buildIndex() {
        gen = new SyntheticVectors(DIM, 40, 0.5f, 42);
        data = gen.matrix(ROWS);
        index = Int8Index.build(data, ROWS, DIM);
    }

    /** Reference: every row scored with the same float dot product, fully sorted (score desc, row asc). */
    private static List<ScoredRow> bruteForce(float[] m, int rows, int dim, float[] q, int k) {
        List<ScoredRow> all = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            all.add(new ScoredRow(r, Int8Index.exactDot(q, Arrays.copyOfRange(m, r * dim, r * dim + dim))));
        }
        all.sort(TopRows::compareBestFirst);
        return all.subList(0, Math.min(k, rows));
    }

    @Test
    void recallAt10OnStructuredDataIsAtLeast95Percent() {
        float[][] queries = gen.queries(60);
        int hits = 0;
        for (float[] q : queries) {
            List<Integer> truth = bruteForce(data, ROWS, DIM, q, 10).stream().map(ScoredRow::row).toList();
            List<ScoredRow> got = index.search(q, 10, Int8Index.rowsOf(data, DIM));
            assertEquals(10, got.size());
            hits += (int) got.stream().filter(h -> truth.contains(h.row())).count();
        }
        double recall = hits / (10.0 * queries.length);
        assertTrue(recall >= 0.95, "recall@10 = " + recall);
    }

    @Test
    void rerankedHitsCarryExactScoresInExactOrder() {
        FloatVectorSource source = Int8Index.rowsOf(data, DIM);
        for (float[] q : gen.queries(10)) {
            List<ScoredRow> got = index.search(q, 10, 200, source);
            for (int i = 0; i < got.size(); i++) {
                ScoredRow h = got.get(i);
                assertEquals(Int8Index.exactDot(q, source.vector(h.row())), h.score(), 0f, "exact score");
                if (i > 0) {
                    assertTrue(TopRows.compareBestFirst(got.get(i - 1), h) < 0, "order at " + i + ": " + got);
                }
            }
        }
    }

    @Test
    void withEveryRowAsCandidateTheResultIsTheExactScan() {
        FloatVectorSource source = Int8Index.rowsOf(data, DIM);
        for (float[] q : gen.queries(5)) {
            assertEquals(bruteForce(data, ROWS, DIM, q, 10), index.search(q, 10, ROWS, source));
        }
    }

    @Test
    void approximateScoresAreWithinHalfAStepPerDimension() {
        float[] q = gen.queries(1)[0];
        double bound = 0;
        for (int d = 0; d < DIM; d++) {
            bound += Math.abs(q[d]) * index.scale(d) / 2;
        }
        for (ScoredRow r : index.approximateTop(q, 50)) {
            float exact = Int8Index.exactDot(q, Arrays.copyOfRange(data, r.row() * DIM, r.row() * DIM + DIM));
            assertEquals(exact, r.score(), bound + 1e-4, "row " + r.row());
        }
    }

    @Test
    void theSourcesOwnDotProductScoresTheCandidates() {
        float[] q = gen.queries(1)[0];
        FloatVectorSource plain = Int8Index.rowsOf(data, DIM);
        // A source with its own (double-accumulated) dot product: the re-rank must use it, not a copy of the row.
        FloatVectorSource own = new FloatVectorSource() {
            @Override
            public float[] vector(int row) {
                throw new AssertionError("vector() must not be needed when dot() is overridden");
            }

            @Override
            public float dot(int row, float[] query) {
                double s = 0;
                for (int i = 0; i < DIM; i++) {
                    s += (double) query[i] * data[row * DIM + i];
                }
                return (float) s;
            }
        };
        List<ScoredRow> got = index.search(q, 10, own);
        List<ScoredRow> reference = index.search(q, 10, plain);
        for (int i = 0; i < 10; i++) {
            assertEquals(own.dot(got.get(i).row(), q), got.get(i).score(), 0f);
            assertEquals(reference.get(i).score(), got.get(i).score(), 1e-5f);
        }
    }

    @Test
    void kLargerThanTheIndexReturnsEveryRowInExactOrder() {
        float[] small = Arrays.copyOf(data, 5 * DIM);
        Int8Index five = Int8Index.build(small, 5, DIM);
        float[] q = gen.queries(1)[0];
        List<ScoredRow> got = five.search(q, 12, Int8Index.rowsOf(small, DIM));
        assertEquals(bruteForce(small, 5, DIM, q, 12), got);
        assertEquals(5, got.size());
        assertEquals(List.of(), five.search(q, 0, Int8Index.rowsOf(small, DIM)));
    }

    @Test
    void zeroVectorsAndZeroDimensionsAreHandled() {
        int dim = 8;
        float[] m = {
            0, 0, 0, 0, 0, 0, 0, 0,              // zero row
            0.6f, 0, 0.8f, 0, 0, 0, 0, 0,
            0, 0, 0.6f, 0.8f, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0,              // another zero row
        };                                        // dimensions 1, 4..7 are zero everywhere
        Int8Index idx = Int8Index.build(m, 4, dim);
        assertEquals(0f, idx.scale(5));
        FloatVectorSource src = Int8Index.rowsOf(m, dim);
        List<ScoredRow> got = idx.search(new float[] {1, 0, 0, 0, 0, 0, 0, 0}, 4, src);
        assertEquals(List.of(new ScoredRow(1, 0.6f), new ScoredRow(0, 0f), new ScoredRow(2, 0f),
                new ScoredRow(3, 0f)), got);
        // A zero query scores 0 everywhere: rows in index order.
        List<ScoredRow> zero = idx.search(new float[dim], 3, src);
        assertEquals(List.of(new ScoredRow(0, 0f), new ScoredRow(1, 0f), new ScoredRow(2, 0f)), zero);
    }

    @Test
    void emptyIndexReturnsNothing() {
        Int8Index empty = Int8Index.build(0, 16, row -> {
            throw new AssertionError("no rows to read");
        });
        assertEquals(List.of(), empty.search(new float[16], 5, row -> new float[16]));
        assertEquals(64, empty.bytesUsed());
    }

    @Test
    void memoryIsOneBytePerComponent() {
        assertEquals((long) ROWS * DIM + 4L * DIM, index.bytesUsed());
        assertEquals(2048L, (index.bytesUsed() - 4L * DIM) / ROWS, "bytes per 2048-d image");
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> index.search(new float[3], 10, Int8Index.rowsOf(data, DIM)));
        assertTrue(e.getMessage().contains("dimension 3"), e.getMessage());
        float[] nan = new float[4];
        nan[2] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> Int8Index.build(nan, 1, 4));
        assertTrue(e.getMessage().contains("row 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Int8Index.build(new float[10], 3, 4));
        assertTrue(e.getMessage().contains("10 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Int8Index.build(2, 4, row -> new float[5]));
        assertTrue(e.getMessage().contains("dimension 5"), e.getMessage());
    }

    @Test
    void parallelScanMatchesASequentialReference() {
        int dim = 24;
        int rows = Int8Index.PARALLEL_ROWS + 1001;
        float[] m = new SyntheticVectors(dim, 30, 0.5f, 7).matrix(rows);
        Int8Index big = Int8Index.build(m, rows, dim);
        float[] q = new SyntheticVectors(dim, 30, 0.5f, 7).queries(1)[0];
        float[] folded = new float[dim];
        for (int d = 0; d < dim; d++) {
            folded[d] = q[d] * big.scale(d);
        }
        // Score every row's stored codes with the same kernel, one thread, full sort.
        List<ScoredRow> reference = new ArrayList<>();
        byte[] codes = new byte[dim];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < dim; d++) {
                codes[d] = big.code(r, d);
            }
            reference.add(new ScoredRow(r, Int8Kernels.dot(folded, codes, 0, dim)));
        }
        reference.sort(TopRows::compareBestFirst);
        ScoredRow[] got = big.approximateTop(q, 100);
        assertEquals(100, got.length);
        for (int i = 0; i < 100; i++) {
            assertEquals(reference.get(i).row(), got[i].row(), "rank " + i);
        }
    }

    @Test
    void parallelMatrixBuildEqualsTheSequentialSourceBuild() {
        int rows = 3000;
        float[] m = new SyntheticVectors(64, 10, 0.5f, 5).matrix(rows);
        Int8Index fromMatrix = Int8Index.build(m, rows, 64);
        Int8Index fromSource = Int8Index.build(rows, 64, Int8Index.rowsOf(m, 64));
        for (int d = 0; d < 64; d++) {
            assertEquals(fromSource.scale(d), fromMatrix.scale(d), 0f);
        }
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < 64; d++) {
                assertEquals(fromSource.code(r, d), fromMatrix.code(r, d), "row " + r + " dim " + d);
            }
        }
    }

    @Test
    void simdAndScalarKernelsAgree() {
        Random rnd = new Random(3);
        for (int dim : new int[] {1, 15, 16, 33, 100, 2048}) {
            float[] q = new float[dim];
            byte[] codes = new byte[dim + 7];
            for (int i = 0; i < dim; i++) {
                q[i] = (float) rnd.nextGaussian();
            }
            rnd.nextBytes(codes);
            double reference = 0;
            for (int i = 0; i < dim; i++) {
                reference += (double) q[i] * codes[7 + i];
            }
            assertEquals(reference, Int8Kernels.dot(q, codes, 7, dim), 1e-3 * Math.max(1, Math.abs(reference)) + 1e-2);
            assertEquals(reference, Int8Kernels.dotScalar(q, codes, 7, dim), 1e-3 * Math.max(1, Math.abs(reference)) + 1e-2);
        }
        assertTrue(Int8Kernels.VECTOR_API, "the tests run with --add-modules jdk.incubator.vector: SIMD kernel expected");
    }
}
