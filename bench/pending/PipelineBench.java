package com.imageretrieval.bench;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.SearchHit;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The product's own index build, timed (issue 6, targets 1-3): {@link RetrievalEngine#rebuild} over the benchmark
 * images into a FRESH H2 index each pass (so every image is decoded, preprocessed, embedded and written), after a
 * short ONNX warm-up that is not timed (model loading is not timed either, as for ORT alone and the seed). Then, on
 * the last index, in-process query latency: {@code engine.search(image, 10)} (preprocess + inference + scan) and
 * {@code engine.search(vector, 10)} (scan only). Prints one {@code PIPELINE {json}} line.
 *
 * <p>Usage: {@code PipelineBench <model.onnx> <imageDir> [--passes 3] [--queries 30] [--work DIR]};
 * ORT_DEVICE from the environment (default auto).
 */
public final class PipelineBench {

    private PipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]).toAbsolutePath();
        Path images = Path.of(args[1]).toAbsolutePath();
        int passes = 3;
        int queries = 30;
        Path work = Path.of("target/bench/pipeline");
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--work" -> work = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Path> files = Tensors.images(images, 0);
        List<BufferedImage> warm = new ArrayList<>();
        for (Path p : files.subList(0, Math.min(files.size(), Math.max(4, queries)))) {
            warm.add(ImageIO.read(p.toFile()));
        }
        double[] rates = new double[passes];
        double[] reported = new double[passes];
        int embedded = 0;
        String device = "?";
        RetrievalEngine engine = null;
        try {
            for (int p = 0; p < passes; p++) {
                if (engine != null) {
                    engine.close();
                }
                Path artifacts = work.resolve("pass-" + p).toAbsolutePath();
                deleteTree(artifacts);
                Files.createDirectories(artifacts);
                Map<String, String> env = new HashMap<>();
                env.put("DATASET_DIR", images.toString());
                env.put("MODEL_PATH", model.toString());
                env.put("ARTIFACTS_DIR", artifacts.toString());
                String dev = System.getenv("ORT_DEVICE");
                if (dev != null) {
                    env.put("ORT_DEVICE", dev);
                }
                engine = RetrievalEngine.open(AppConfig.of(env));
                Embedder embedder = engine.embedder().orElseThrow(
                        () -> new IllegalStateException("model not loaded: " + model));
                device = embedder.device();
                for (int w = 0; w < 4; w++) {
                    embedder.embed(warm.get(w % warm.size()));
                }
                waitIdle(engine);
                long t0 = System.nanoTime();
                BuildResult r = engine.rebuild(progress -> { });
                double s = (System.nanoTime() - t0) / 1e9;
                embedded = r.embedded();
                rates[p] = r.embedded() / s;
                reported[p] = r.imagesPerSecond();
                System.out.printf(Locale.ROOT, "product build pass %d: %d embedded, %d failed in %.2f s = %.2f images/s"
                        + " (engine reports %.2f)%n", p, r.embedded(), r.failed(), s, rates[p], r.imagesPerSecond());
            }
            double[] qms = new double[queries];
            double[] vms = new double[queries];
            for (int w = 0; w < 3; w++) {
                engine.search(warm.get(w % warm.size()), 10);
            }
            for (int i = 0; i < queries; i++) {
                BufferedImage q = warm.get(i % warm.size());
                long t0 = System.nanoTime();
                List<SearchHit> hits = engine.search(q, 10);
                qms[i] = (System.nanoTime() - t0) / 1e6;
                if (hits.isEmpty()) {
                    throw new IllegalStateException("no hits for query " + i);
                }
            }
            float[] unit = engine.embedder().orElseThrow().embed(warm.get(0));
            for (int i = 0; i < queries; i++) {
                long t0 = System.nanoTime();
                engine.search(unit, 10);
                vms[i] = (System.nanoTime() - t0) / 1e6;
            }
            double rate = ScaleBench.median(rates);
            System.out.printf(Locale.ROOT, "product: %.2f images/s (passes %s), query p50 %.1f ms p95 %.1f ms, "
                            + "vector search p50 %.3f ms, peak RSS %d MiB%n", rate, Arrays.toString(rates),
                    ScaleBench.median(qms), ScaleBench.p95(qms), ScaleBench.median(vms), Rss.peakMiB());
            System.out.printf(Locale.ROOT, "PIPELINE {\"images\":%d,\"passes\":%d,\"device\":\"%s\","
                            + "\"build_images_per_s\":%.3f,\"engine_reported_images_per_s\":%.3f,"
                            + "\"query_p50_ms\":%.3f,\"query_p95_ms\":%.3f,\"vector_search_p50_ms\":%.4f,"
                            + "\"peak_rss_mib\":%d}%n", embedded, passes, device, rate, ScaleBench.median(reported),
                    ScaleBench.median(qms), ScaleBench.p95(qms), ScaleBench.median(vms), Rss.peakMiB());
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }

    /** If opening the engine started a build by itself, let it finish so the timed rebuild runs alone. */
    private static void waitIdle(RetrievalEngine engine) throws InterruptedException {
        while (engine.status().building()) {
            Thread.sleep(50);
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
