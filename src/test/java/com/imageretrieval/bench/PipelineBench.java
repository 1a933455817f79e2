package com.imageretrieval.bench;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.image.ImageDecoder;
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
 * The product's own index build, timed (issue 6, targets 1-3). Each pass opens a {@link RetrievalEngine} on a FRESH
 * artifacts folder: the engine then builds the index by itself (its automatic first build: scan, decode, preprocess,
 * batched inference, H2 writes, snapshot swap). The embedder factory warms the ONNX session up on a few images before
 * handing it to the engine, so neither model loading nor ORT's first-run set-up is timed (as for ORT alone and the
 * seed). Throughput = embedded images / the engine's own build time ({@link BuildResult#millis()}), cross-checked by a
 * wall clock from open() to the end of the build. Then, on the last index, in-process query latency:
 * {@code engine.search(image, 10)} (preprocess + inference + scan) and {@code engine.search(vector, 10)} (scan only).
 * ONNX Runtime alone ({@link OrtAlone}: same model, the product's own preprocessed tensors, batch 1 and 8) runs
 * interleaved with the product's passes in the same JVM, so that both see the same machine state (the machine is
 * shared; load drifts). Prints {@code ORT {json}} lines and one {@code PIPELINE {json}} line.
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
        double[] walls = new double[passes];
        int[] ortBatches = {1, 8};
        double[][] ortRates = new double[ortBatches.length][passes];
        List<float[]> tensors = null;
        double preMs = Double.NaN;
        OrtAlone ort = new OrtAlone(model, Runtime.getRuntime().availableProcessors(),
                "cuda".equalsIgnoreCase(System.getenv("ORT_DEVICE")));
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
                String ortDevice = System.getenv("ORT_DEVICE");
                if (ortDevice != null) {
                    env.put("ORT_DEVICE", ortDevice);
                }
                String[] dev = new String[1];
                long t0 = System.nanoTime();
                RetrievalEngine current = RetrievalEngine.open(AppConfig.of(env), cfg -> {
                    Embedder e = OnnxEmbedder.open(cfg.modelPath(), cfg.ortDevice());
                    for (int w = 0; w < 4; w++) {
                        e.embed(warm.get(w % warm.size()));
                    }
                    dev[0] = e.device();
                    return e;
                });
                long opened = System.nanoTime();
                engine = current;
                while (current.status().building()) {
                    Thread.sleep(5);
                }
                double wall = (System.nanoTime() - opened) / 1e9;
                BuildResult r = current.lastBuild().orElseThrow(() -> new IllegalStateException(
                        "no automatic build ran: " + current.status().message()));
                device = dev[0];
                embedded = r.embedded();
                rates[p] = r.embedded() / (r.millis() / 1000.0);
                walls[p] = r.embedded() / wall;
                System.out.printf(Locale.ROOT, "product build pass %d (%s): %d embedded, %d failed in %d ms = %.2f "
                                + "images/s (wall clock %.2f images/s; model load + warm-up %.1f s untimed)%n", p,
                        device, r.embedded(), r.failed(), r.millis(), rates[p], walls[p], (opened - t0) / 1e9);
                if (r.embedded() == 0 || r.failed() > 0) {
                    throw new IllegalStateException("the build did not embed every image: " + r);
                }
                if (tensors == null) {
                    Embedder e = current.embedder().orElseThrow();
                    tensors = new ArrayList<>();
                    // The product's decoder and preprocessing on one thread: the CPU work per image that the
                    // pipeline has to fit beside inference on the same cores.
                    ImageDecoder decoder = new ImageDecoder(current.config().maxImagePixels());
                    for (int rep = 0; rep < 2; rep++) {
                        tensors.clear();
                        long c0 = System.nanoTime();
                        for (Path f : files) {
                            tensors.add(e.preprocess(decoder.decode(f).image()));
                        }
                        preMs = (System.nanoTime() - c0) / 1e6 / files.size();
                    }
                    System.out.printf(Locale.ROOT, "decode + preprocess (product code, 1 thread): %.2f ms/image%n",
                            preMs);
                    for (int b : ortBatches) {
                        ort.warmUp(tensors, b);
                    }
                }
                for (int b = 0; b < ortBatches.length; b++) {
                    ortRates[b][p] = ort.pass(tensors, ortBatches[b]);
                    System.out.printf(Locale.ROOT, "ORT alone pass %d, batch %d: %.2f images/s%n", p, ortBatches[b],
                            ortRates[b][p]);
                }
            }
            for (int b = 0; b < ortBatches.length; b++) {
                OrtAloneBench.report(ort, ortBatches[b], tensors.size(), ortRates[b]);
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
                            + "\"build_images_per_s\":%.3f,\"best_build_images_per_s\":%.3f,\"wall_images_per_s\":%.3f,"
                            + "\"query_p50_ms\":%.3f,\"query_p95_ms\":%.3f,\"vector_search_p50_ms\":%.4f,"
                            + "\"peak_rss_mib\":%d,\"decode_preprocess_ms\":%.3f}%n", embedded, passes, device, rate, Arrays.stream(rates).max().orElse(Double.NaN),
                    ScaleBench.median(walls),
                    ScaleBench.median(qms), ScaleBench.p95(qms), ScaleBench.median(vms), Rss.peakMiB(), preMs);
        } finally {
            if (engine != null) {
                engine.close();
            }
            ort.close();
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
