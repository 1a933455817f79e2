package com.imageretrieval.index.compact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Compact search index: int8 scalar quantisation scanned in one pass, then an EXACT re-rank of the best candidates
 * against the float32 vectors.
 *
 * <p><b>Quantisation: per-dimension symmetric scale.</b> For dimension d, {@code scale[d] = max |x[d]| / 127} over
 * all rows and {@code code = round(x[d] / scale[d])} in [-127, 127]. Per dimension rather than one global scale
 * because feature dimensions differ a lot in range (ResNet pooled features: most dimensions are small, a few are
 * large); a global scale would spend most of the 8 bits on the few large ones and round the small ones to 0. The
 * scale is folded into the query, not the data: {@code q'[d] = q[d] * scale[d]}, so the approximate score
 * {@code sum q'[d] * code[d]} needs no per-row work beyond the dot product and the query stays in float (only the
 * index is quantised, which keeps the approximation error to the data side).
 *
 * <p><b>Memory:</b> one contiguous byte[] of rows x dimension (2 KiB per 2048-d image instead of 8 KiB for
 * float32) plus dimension floats of scales. The float vectors are not held here: the re-rank asks a
 * {@link FloatVectorSource} for about {@code candidates} rows per query, so they can stay on disk / in H2.
 *
 * <p><b>Result:</b> the top-k of the candidates by exact float32 dot product, best first, ties by lower row. When
 * the true top-k are among the candidates (recall@k; 10 x k candidates is plenty on real and clustered data, see
 * the tests and docs/performance.md), the result equals the exact scan.
 *
 * <p>Immutable and thread-safe once built; rebuild it with each new index snapshot (scales depend on all rows).
 */
public final class Int8Index {

    /** Rows at or above this are scanned by all cores; below, one thread is faster than the fork/join. */
    static final int PARALLEL_ROWS = 32_768;

    private final int rows;
    private final int dim;
    private final float[] scales;
    private final byte[] codes;

    private Int8Index(int rows, int dim, float[] scales, byte[] codes) {
        this.rows = rows;
        this.dim = dim;
        this.scales = scales;
        this.codes = codes;
    }

    /**
     * Quantises {@code rows} vectors of length {@code dim} read from {@code source} (two sequential passes:
     * per-dimension range, then codes), so the source may be a database cursor-like reader. Vectors need not be unit
     * length; NaN or infinite components are refused.
     */
    public static Int8Index build(int rows, int dim, FloatVectorSource source) {
        Objects.requireNonNull(source, "source");
        checkShape(rows, dim);
        float[] maxAbs = new float[dim];
        for (int r = 0; r < rows; r++) {
            accumulateMaxAbs(checked(source.vector(r), r, dim), 0, dim, maxAbs);
        }
        Quantiser qz = new Quantiser(maxAbs);
        byte[] codes = new byte[rows * dim];
        for (int r = 0; r < rows; r++) {
            qz.encode(checked(source.vector(r), r, dim), 0, codes, r * dim);
        }
        return new Int8Index(rows, dim, qz.scales, codes);
    }

    /**
     * Quantises a row-major float matrix ({@code data.length == rows * dim}) on all cores: same codes as the
     * {@link FloatVectorSource} variant, several times faster for 100k+ rows.
     */
    public static Int8Index build(float[] data, int rows, int dim) {
        Objects.requireNonNull(data, "data");
        checkShape(rows, dim);
        if ((long) rows * dim != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " floats, expected rows x dimension = "
                    + (long) rows * dim);
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("row " + i / dim + " has a NaN or infinite component");
            }
        }
        int parts = Math.max(1, Math.min(rows / 1024, 4 * Runtime.getRuntime().availableProcessors()));
        int chunk = rows == 0 ? 0 : (rows + parts - 1) / parts;
        float[] maxAbs = IntStream.range(0, parts).parallel().mapToObj(p -> {
            float[] m = new float[dim];
            for (int r = p * chunk; r < Math.min(rows, (p + 1) * chunk); r++) {
                accumulateMaxAbs(data, r * dim, dim, m);
            }
            return m;
        }).reduce(new float[dim], (a, b) -> {
            float[] m = new float[dim];
            for (int d = 0; d < dim; d++) {
                m[d] = Math.max(a[d], b[d]);
            }
            return m;
        });
        Quantiser qz = new Quantiser(maxAbs);
        byte[] codes = new byte[rows * dim];
        IntStream.range(0, parts).parallel().forEach(p -> {
            for (int r = p * chunk; r < Math.min(rows, (p + 1) * chunk); r++) {
                qz.encode(data, r * dim, codes, r * dim);
            }
        });
        return new Int8Index(rows, dim, qz.scales, codes);
    }

    private static void checkShape(int rows, int dim) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
        }
        if ((long) rows * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(rows + " x " + dim + " codes exceed one Java array ("
                    + (Integer.MAX_VALUE - 8) + " bytes): split the index");
        }
    }

    private static void accumulateMaxAbs(float[] v, int offset, int dim, float[] maxAbs) {
        for (int d = 0; d < dim; d++) {
            maxAbs[d] = Math.max(maxAbs[d], Math.abs(v[offset + d]));
        }
    }

    /** Per-dimension symmetric scales and the encoder that uses them. */
    private static final class Quantiser {
        final float[] scales;
        final float[] inverse;

        Quantiser(float[] maxAbs) {
            int dim = maxAbs.length;
            scales = new float[dim];
            inverse = new float[dim];
            for (int d = 0; d < dim; d++) {
                // A dimension that is 0 in every row keeps scale 0 and codes 0: it contributes nothing, as it should.
                scales[d] = maxAbs[d] / 127f;
                inverse[d] = maxAbs[d] == 0f ? 0f : 127f / maxAbs[d];
            }
        }

        void encode(float[] v, int offset, byte[] codes, int base) {
            for (int d = 0; d < inverse.length; d++) {
                // |v| <= maxAbs so the product is within [-127, 127] up to rounding; the clamp guards that edge.
                int c = Math.round(v[offset + d] * inverse[d]);
                codes[base + d] = (byte) Math.max(-127, Math.min(127, c));
            }
        }
    }

    /** A {@link FloatVectorSource} over a row-major float matrix (copies each row it returns). */
    public static FloatVectorSource rowsOf(float[] data, int dim) {
        return row -> Arrays.copyOfRange(data, row * dim, row * dim + dim);
    }

    /** The default candidate count for a top-k query: 10 x k, at least 50 ({@link IndexMode#DEFAULT_RERANK}). */
    public static int defaultCandidates(int k) {
        return candidates(k, IndexMode.DEFAULT_RERANK);
    }

    /** Candidates for a top-k query with re-rank multiplier {@code multiplier} ({@code INDEX_RERANK}): at least 50. */
    public static int candidates(int k, int multiplier) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max((long) multiplier * k, 50L));
    }

    public int rows() {
        return rows;
    }

    public int dimension() {
        return dim;
    }

    /** Quantisation step of dimension {@code d} (code 1 stands for this value). */
    float scale(int d) {
        return scales[d];
    }

    /** The stored code of (row, d), for tests. */
    byte code(int row, int d) {
        return codes[row * dim + d];
    }

    /** Bytes held by this index: the codes plus the scales. */
    public long bytesUsed() {
        return (long) codes.length + 4L * scales.length;
    }

    /** Which inner loop runs: "vector-api 512-bit" or "scalar" (no {@code --add-modules jdk.incubator.vector}). */
    public static String kernel() {
        return Int8Kernels.name();
    }

    /**
     * The {@code count} best rows by approximate (int8) score, best first; their scores are approximate dot
     * products. Fewer when the index has fewer rows.
     */
    public ScoredRow[] approximateTop(float[] query, int count) {
        checkQuery(query);
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        if (rows == 0) {
            return new ScoredRow[0];
        }
        float[] folded = new float[dim];
        for (int d = 0; d < dim; d++) {
            folded[d] = query[d] * scales[d];
        }
        int keep = Math.min(count, rows);
        if (rows < PARALLEL_ROWS) {
            return scan(folded, 0, rows, keep).sorted();
        }
        int parts = Math.max(1, Runtime.getRuntime().availableProcessors());
        int chunk = (rows + parts - 1) / parts;
        TopRows merged = new TopRows(keep);
        IntStream.range(0, parts).parallel()
                .mapToObj(p -> scan(folded, p * chunk, Math.min(rows, (p + 1) * chunk), keep))
                .sequential()
                .forEach(merged::addAll);
        return merged.sorted();
    }

    /**
     * Top-k by exact dot product among the {@code candidates} best approximate rows, scored by
     * {@link FloatVectorSource#dot(int, float[])} of {@code exact}. k larger than the index gives every row. Best first, ties by lower row.
     */
    public List<ScoredRow> search(float[] query, int k, int candidates, FloatVectorSource exact) {
        Objects.requireNonNull(exact, "exact");
        checkQuery(query);
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        if (k == 0 || rows == 0) {
            return List.of();
        }
        int pool = Math.max(k, candidates);
        ScoredRow[] approx = approximateTop(query, pool);
        ScoredRow[] reranked = new ScoredRow[approx.length];
        for (int i = 0; i < approx.length; i++) {
            int row = approx[i].row();
            float score = exact.dot(row, query);
            if (!Float.isFinite(score)) {
                throw new IllegalArgumentException("row " + row + " has a NaN or infinite exact score");
            }
            reranked[i] = new ScoredRow(row, score);
        }
        Arrays.sort(reranked, TopRows::compareBestFirst);
        List<ScoredRow> out = new ArrayList<>(Math.min(k, reranked.length));
        for (int i = 0; i < Math.min(k, reranked.length); i++) {
            out.add(reranked[i]);
        }
        return List.copyOf(out);
    }

    /** {@link #search(float[], int, int, FloatVectorSource)} with {@link #defaultCandidates(int)}. */
    public List<ScoredRow> search(float[] query, int k, FloatVectorSource exact) {
        return search(query, k, defaultCandidates(k), exact);
    }

    /** Float32 dot product, summed in index order (as {@link FloatVectorSource#dot}'s default). */
    static float exactDot(float[] a, float[] b) {
        float s = 0f;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private TopRows scan(float[] folded, int from, int to, int keep) {
        TopRows top = new TopRows(keep);
        for (int r = from; r < to; r++) {
            top.offer(Int8Kernels.dot(folded, codes, r * dim, dim), r);
        }
        return top;
    }

    private void checkQuery(float[] query) {
        Objects.requireNonNull(query, "query");
        if (query.length != dim) {
            throw new IllegalArgumentException("query has dimension " + query.length + ", the index has " + dim);
        }
    }

    private static float[] checked(float[] v, int row, int dim) {
        if (v == null) {
            throw new IllegalArgumentException("no vector for row " + row);
        }
        if (v.length != dim) {
            throw new IllegalArgumentException("row " + row + " has dimension " + v.length + ", expected " + dim);
        }
        for (float x : v) {
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("row " + row + " has a NaN or infinite component");
            }
        }
        return v;
    }
}
