package com.imageretrieval.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * ONNX Runtime alone, standalone (bench/gpu-check.sh uses it with --cuda; bench/run.sh gets the same figures from
 * PipelineBench, interleaved with the product's passes). The tensors are preprocessed once up front; each timed pass
 * runs all of them through {@code session.run} in batches.
 *
 * <p>Usage: {@code OrtAloneBench <model.onnx> <imageDir> [--batches 1,8] [--passes 3] [--threads N] [--limit N]
 * [--cuda]}. Prints readable lines and one {@code ORT {json}} line per batch size.
 */
public final class OrtAloneBench {

    private OrtAloneBench() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path images = Path.of(args[1]);
        int[] batches = {1, 8};
        int passes = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        int limit = 0;
        boolean cuda = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--cuda" -> cuda = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<float[]> tensors = Tensors.load(model, images, limit);
        try (OrtAlone ort = new OrtAlone(model, threads, cuda)) {
            for (int batch : batches) {
                ort.warmUp(tensors, batch);
                double[] rates = new double[passes];
                for (int p = 0; p < passes; p++) {
                    rates[p] = ort.pass(tensors, batch);
                }
                report(ort, batch, tensors.size(), rates);
            }
        }
    }

    static void report(OrtAlone ort, int batch, int images, double[] rates) {
        double median = ScaleBench.median(rates);
        double best = Arrays.stream(rates).max().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "ORT alone, batch %d, %d intra-op threads, %s: %.2f images/s (passes %s)%n",
                batch, ort.threads, ort.cuda ? "CUDA" : "CPU", median, Arrays.toString(rates));
        System.out.printf(Locale.ROOT, "ORT {\"batch\":%d,\"threads\":%d,\"device\":\"%s\",\"images\":%d,"
                + "\"images_per_s\":%.3f,\"best_images_per_s\":%.3f,\"ms_per_image_best\":%.3f}%n", batch, ort.threads,
                ort.cuda ? "cuda" : "cpu", images, median, best, 1000.0 / best);
    }
}
