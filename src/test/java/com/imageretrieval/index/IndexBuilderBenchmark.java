package com.imageretrieval.index;

import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Not a test: a measurement to run by hand. Generates a flower-sized dataset under target/ (JPEGs, 5 classes), then
 * prints the scan time and the build rate with the fake embedder for 1 and 2 producer threads, and the time of a
 * build with nothing to do.
 *
 * <pre>mvn -q -o test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=com.imageretrieval.index.IndexBuilderBenchmark [-Dexec.args="3670 500 333"]</pre>
 */
public final class IndexBuilderBenchmark {

    private IndexBuilderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 3670;
        int w = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int h = args.length > 2 ? Integer.parseInt(args[2]) : 333;
        Path dataset = Path.of("target", "bench", "dataset-" + count + "-" + w + "x" + h);
        if (!Files.isDirectory(dataset)) {
            Color[] colours = {Color.RED, Color.ORANGE, Color.YELLOW, Color.GREEN, Color.BLUE};
            for (int i = 0; i < count; i++) {
                TestDatasets.write(dataset.resolve("class" + (i % 5)).resolve("img" + i + ".jpg"),
                        TestImages.noisyColour(colours[i % 5], i, w, h));
            }
        }
        long[] scans = new long[7];
        int found = 0;
        for (int i = 0; i < scans.length; i++) {
            long t0 = System.nanoTime();
            found = DatasetScanner.scan(dataset).size();
            scans[i] = System.nanoTime() - t0;
        }
        Arrays.sort(scans);
        System.out.printf("scan of %d files: median %.1f ms%n", found, scans[scans.length / 2] / 1e6);

        for (int producers : new int[] {1, 2}) {
            Path artifacts = Path.of("target", "bench", "artifacts-p" + producers);
            deleteTree(artifacts);
            try (IndexStore store = IndexStore.open(artifacts)) {
                IndexBuilder builder = new IndexBuilder(store, new FakeEmbedder("bench"), new ImageDecoder(1 << 26),
                        dataset).producers(producers);
                BuildResult full = builder.build(ProgressListener.none());
                System.out.printf("full build, %d producer(s): %d images in %d ms = %.1f images/s%n", producers,
                        full.embedded(), full.millis(), full.embedded() * 1000.0 / full.millis());
                BuildResult again = builder.build(ProgressListener.none());
                long t0 = System.nanoTime();
                int rows = store.load().orElseThrow().size();
                long loadMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("  nothing-changed build: %d ms (reused %d); loading the snapshot of %d rows: %d ms%n",
                        again.millis(), again.reused(), rows, loadMs);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
