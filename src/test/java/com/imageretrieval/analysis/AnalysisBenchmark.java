package com.imageretrieval.analysis;

import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.VectorMatrix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Not a test: a measurement to run by hand. Times {@link NearDuplicates#compute} (and {@link NearDuplicates#find} for
 * a series of thresholds, the later ones from the kept pairs) and
 * {@link RetrievalEvaluation#evaluate} on a snapshot shaped like flower_photos: 3,670 x 2048 non-negative unit vectors
 * (as after ReLU + average pooling) in five classes of the flower dataset's sizes, each vector its class centre plus
 * noise, and a few re-encoding-like near copies.
 *
 * <pre>mvn -q -o test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.imageretrieval.analysis.AnalysisBenchmark [-Dexec.args="2048 3"]</pre>
 */
public final class AnalysisBenchmark {

    private static final String[] CLASSES = {"daisy", "dandelion", "roses", "sunflowers", "tulips"};
    private static final int[] SIZES = {633, 898, 641, 699, 799};

    private AnalysisBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int dim = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        IndexSnapshot s = flowerLike(dim, new Random(5));
        System.out.printf("%d images x %d, %d threads%n", s.size(), dim, PairBlocks.THREADS);
        for (int r = 0; r < repeats; r++) {
            DuplicateReport d = NearDuplicates.compute(s, NearDuplicates.DEFAULT_THRESHOLD);
            System.out.printf("duplicates: %d ms, %d pairs, %d groups%n", d.millis(), d.pairs(), d.groups().size());
            // a new threshold above one scanned before is answered from the kept pairs
            NearDuplicates finder = new NearDuplicates();
            for (double t : new double[] {0.95, 0.98, 0.99, 0.97}) {
                long t0 = System.nanoTime();
                DuplicateReport f = finder.find(s, t);
                System.out.printf("  find(%.2f): %d ms, %d pairs, %d groups%n", t, (System.nanoTime() - t0) / 1_000_000,
                        f.pairs(), f.groups().size());
            }
            EvaluationResult e = RetrievalEvaluation.evaluate(s);
            System.out.printf("evaluation: %d ms, overall %s%n", e.millis(), e.overall());
        }
    }

    static IndexSnapshot flowerLike(int dim, Random rnd) {
        List<ImageRecord> records = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        int id = 0;
        for (int c = 0; c < CLASSES.length; c++) {
            float[] centre = new float[dim];
            for (int i = 0; i < dim; i++) {
                centre[i] = rnd.nextFloat() < 0.3f ? rnd.nextFloat() : 0f;
            }
            for (int k = 0; k < SIZES[c]; k++) {
                float[] v = new float[dim];
                if (k % 50 == 49) {
                    // a near copy of the previous image (a re-encoding)
                    float[] prev = vectors.get(vectors.size() - 1);
                    for (int i = 0; i < dim; i++) {
                        v[i] = Math.max(0f, prev[i] + 0.002f * (float) rnd.nextGaussian());
                    }
                } else {
                    for (int i = 0; i < dim; i++) {
                        v[i] = Math.max(0f, centre[i] + 0.35f * (float) rnd.nextGaussian());
                    }
                }
                normalise(v);
                vectors.add(v);
                records.add(new ImageRecord(id++, String.format("%s/%05d.jpg", CLASSES[c], k), CLASSES[c], 1, 0,
                        "h" + id, 1, 1));
            }
        }
        return new IndexSnapshot(records, VectorMatrix.of(vectors, dim),
                new IndexMetadata("synthetic", "h", dim, "cpu", Instant.now(), records.size()));
    }

    private static void normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
    }
}
