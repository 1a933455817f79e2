package com.imageretrieval.index;

import com.imageretrieval.common.DaemonThreads;
import com.imageretrieval.index.kernel.DotProduct;
import com.imageretrieval.index.kernel.KernelProvider;
import com.imageretrieval.index.kernel.TopK;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.function.IntPredicate;

/**
 * Immutable row-major matrix of unit vectors in one contiguous {@code float[]} (rows x dimension), searched by exact
 * cosine similarity, which for unit vectors is the dot product.
 *
 * <p>Speed: one contiguous array streams through the cache; the dot product is the one kernel
 * {@link KernelProvider} chose (Vector API lanes with {@code --add-modules jdk.incubator.vector}, else a scalar loop);
 * {@link TopK} keeps a bounded min-heap so only K candidates are ever ordered. Large matrices are split in row
 * ranges over a small shared pool; the calling thread scans one range itself.
 *
 * <p>Order: by similarity descending ({@link Float#compare}), ties by lower row index, exactly as a full sort would
 * give.
 */
public final class VectorMatrix {

    /**
     * Below this many floats (about 0.15 ms of scanning at the ~2.3 ms single-thread speed measured for 3,670 x 2048)
     * one thread is used: a hand-off to the pool costs tens of microseconds, so smaller scans gain too little.
     */
    static final int PARALLEL_THRESHOLD = 1 << 19;

    /** Threads per search: the cores, at most 4 (memory bandwidth limits beyond); a system property may lower it. */
    private static final int THREADS = Math.max(1, Integer.getInteger("imageretrieval.searchThreads",
            Math.min(4, Runtime.getRuntime().availableProcessors())));

    /** The kernel, read once: a static final field lets the JIT inline the one implementation. */
    private static final DotProduct DOT = KernelProvider.dotProduct();

    private final float[] data;
    private final int rows;
    private final int dimension;

    /**
     * @param data      rows x dimension floats, row-major; kept as is (not copied): the caller hands it over
     * @param rows      number of vectors
     * @param dimension length of each vector
     */
    public VectorMatrix(float[] data, int rows, int dimension) {
        if (rows < 0 || dimension <= 0) {
            throw new IllegalArgumentException("bad shape " + rows + " x " + dimension);
        }
        if ((long) rows * dimension != data.length) {
            throw new IllegalArgumentException("expected " + ((long) rows * dimension) + " floats for " + rows + " x "
                    + dimension + ", got " + data.length);
        }
        this.data = data;
        this.rows = rows;
        this.dimension = dimension;
    }

    /** Copies the vectors into one matrix; all must have the same length. */
    public static VectorMatrix of(List<float[]> vectors, int dimension) {
        long n = (long) vectors.size() * dimension;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(vectors.size() + " x " + dimension + " floats do not fit one array");
        }
        float[] data = new float[(int) n];
        for (int r = 0; r < vectors.size(); r++) {
            float[] v = vectors.get(r);
            if (v.length != dimension) {
                throw new IllegalArgumentException("row " + r + " has " + v.length + " values, expected " + dimension);
            }
            System.arraycopy(v, 0, data, r * dimension, dimension);
        }
        return new VectorMatrix(data, vectors.size(), dimension);
    }

    public int rows() {
        return rows;
    }

    public int dimension() {
        return dimension;
    }

    /**
     * True if {@code other} has the same shape and bit-identical values (a rebuild that changed nothing gives a new
     * matrix with the same content; analyses cached for the old one still hold).
     */
    public boolean contentEquals(VectorMatrix other) {
        return other == this || (other != null && other.rows == rows && other.dimension == dimension
                && Arrays.equals(other.data, data));
    }

    /** A copy of one row. */
    public float[] row(int row) {
        checkRow(row);
        return Arrays.copyOfRange(data, row * dimension, (row + 1) * dimension);
    }

    /** Which dot-product kernel runs: "vector-api N lanes" (with --add-modules jdk.incubator.vector) or "scalar". */
    public static String kernel() {
        return DOT.name();
    }

    /** Dot product of one row with {@code q}; the exact value {@link #topK} ranks by. */
    public float dot(int row, float[] q) {
        checkRow(row);
        checkQuery(q);
        return DOT.dot(data, row * dimension, q, dimension, DOT.newScratch());
    }

    /**
     * Scores a block of row pairs: {@code out[(i - i0) * (j1 - j0) + (j - j0)] = row i . row j} for i in [i0, i1), j in
     * [j0, j1). For all-pairs work (near-duplicates, leave-one-out evaluation) over blocks small enough to stay in the
     * cache ({@link DotProduct#dotBlock}).
     *
     * <p>The value for a pair does not depend on the block it was computed in and is symmetric ({@code i.j == j.i}
     * exactly). It may differ from {@link #dot} in the last bits (another summation order).
     */
    public void dotBlock(int i0, int i1, int j0, int j1, float[] out) {
        if (i0 < 0 || i1 > rows || i0 > i1 || j0 < 0 || j1 > rows || j0 > j1) {
            throw new IndexOutOfBoundsException("block [" + i0 + ", " + i1 + ") x [" + j0 + ", " + j1 + ") of " + rows
                    + " rows");
        }
        if ((long) (i1 - i0) * (j1 - j0) > out.length) {
            throw new IllegalArgumentException("out holds " + out.length + " values, the block has "
                    + ((long) (i1 - i0) * (j1 - j0)));
        }
        DOT.dotBlock(data, dimension, i0, i1, j0, j1, out);
    }

    /** A scored row: the one (row, score) type of the index code. */
    public record Scored(int row, float score) {
    }

    /**
     * The {@code k} rows most similar to {@code q} (fewer if the matrix has fewer rows), best first.
     *
     * @throws IllegalArgumentException if {@code q} has the wrong length or {@code k < 0}
     */
    public List<Scored> topK(float[] q, int k) {
        return topK(q, k, null, Float.NEGATIVE_INFINITY);
    }

    /**
     * The {@code k} best rows among those that {@code rowFilter} accepts and whose score is {@code >= minScore}, best
     * first, in the same order as {@link #topK(float[], int)}. Both tests run inside the scan: a rejected row never
     * takes a place in the heap, so the answer is exact (not a filtered cut of an unfiltered top K), and a row the
     * predicate rejects is not even scored.
     *
     * @param rowFilter which rows may be returned (called from several threads at once: must be thread-safe); null
     *                  for all
     * @param minScore  lowest score returned; {@link Float#NEGATIVE_INFINITY} for no bound
     * @throws IllegalArgumentException if {@code q} has the wrong length or {@code k < 0}
     */
    public List<Scored> topK(float[] q, int k, IntPredicate rowFilter, float minScore) {
        checkQuery(q);
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        k = Math.min(k, rows);
        if (k == 0) {
            return List.of();
        }
        int parts = (long) rows * dimension >= PARALLEL_THRESHOLD ? Math.min(THREADS, rows) : 1;
        TopK result;
        if (parts == 1) {
            result = scan(q, k, 0, rows, rowFilter, minScore);
        } else {
            result = scanParallel(q, k, parts, rowFilter, minScore);
        }
        return result.drainBestFirst(Scored::new);
    }

    /**
     * Row ranges 1.. go to the shared pool, range 0 is scanned here. A range the pool has not started by the time
     * this thread is done is taken back and scanned here: under many concurrent searches the pool is busy, and
     * waiting for it would make a search slower than doing it alone.
     */
    private TopK scanParallel(float[] q, int k, int parts, IntPredicate rowFilter, float minScore) {
        int per = (rows + parts - 1) / parts;
        List<FutureTask<TopK>> tasks = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int from = p * per;
            int to = Math.min(rows, from + per);
            if (from < to) {
                FutureTask<TopK> task = new FutureTask<>(() -> scan(q, k, from, to, rowFilter, minScore));
                tasks.add(task);
                Pool.EXECUTOR.execute(task);
            }
        }
        TopK merged = scan(q, k, 0, Math.min(rows, per), rowFilter, minScore);
        for (int i = 0; i < tasks.size(); i++) {
            FutureTask<TopK> task = tasks.get(i);
            TopK other;
            if (task.cancel(false)) {
                // not started yet: do it here (the pool will skip the cancelled task)
                int from = (i + 1) * per;
                other = scan(q, k, from, Math.min(rows, from + per), rowFilter, minScore);
            } else {
                try {
                    other = task.get();
                } catch (InterruptedException e) {
                    tasks.forEach(x -> x.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("search interrupted", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("search failed", e.getCause());
                }
            }
            merged.addAll(other);
        }
        return merged;
    }

    private TopK scan(float[] q, int k, int from, int to, IntPredicate rowFilter, float minScore) {
        TopK heap = new TopK(k);
        final float[] a = data;
        final int d = dimension;
        final float[] scratch = DOT.newScratch();
        if (rowFilter == null && minScore == Float.NEGATIVE_INFINITY) {
            // the unfiltered loop stays as lean as it was: this is the hot path of every plain search
            for (int r = from, off = from * d; r < to; r++, off += d) {
                heap.offer(r, DOT.dot(a, off, q, d, scratch));
            }
            return heap;
        }
        for (int r = from, off = from * d; r < to; r++, off += d) {
            if (rowFilter != null && !rowFilter.test(r)) {
                continue;
            }
            float s = DOT.dot(a, off, q, d, scratch);
            if (s < minScore) {
                continue;
            }
            heap.offer(r, s);
        }
        return heap;
    }

    private void checkRow(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
    }

    private void checkQuery(float[] q) {
        if (q == null || q.length != dimension) {
            throw new IllegalArgumentException("query has " + (q == null ? "no" : q.length) + " values, the index has "
                    + dimension);
        }
    }

    /** Shared by every matrix: a few daemon threads, created on the first large search. */
    private static final class Pool {
        static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(Math.max(1, THREADS - 1),
                DaemonThreads.numbered("vector-search"));
    }
}
