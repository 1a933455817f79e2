package com.imageretrieval.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ONNX Runtime alone (issue 6, target 1's denominator): the same model on the same preprocessed tensors, nothing
 * else timed — no decoding, no resizing, no database. Tensors are prepared once up front (by {@link Tensors}, the
 * product's preprocessing), then each timed pass runs every tensor through {@code session.run} in batches.
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
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(threads);
            if (cuda) {
                opts.addCUDA(0);
            }
            try (OrtSession session = env.createSession(model.toString(), opts)) {
                String input = session.getInputNames().iterator().next();
                String output = embeddingOutput(session);
                for (int batch : batches) {
                    runBatch(env, session, input, output, tensors, batch, passes, threads, cuda);
                }
            }
        }
    }

    /** The output whose last dimension is the largest non-1000 size (the pooled embedding), else the first. */
    static String embeddingOutput(OrtSession session) throws OrtException {
        String best = null;
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t) {
                long[] shape = t.getShape();
                long last = shape.length == 0 ? 0 : shape[shape.length - 1];
                if (last == 2048) {
                    return e.getKey();
                }
            }
            if (best == null) {
                best = e.getKey();
            }
        }
        return best;
    }

    private static void runBatch(OrtEnvironment env, OrtSession session, String input, String output,
                                 List<float[]> tensors, int batch, int passes, int threads, boolean cuda)
            throws OrtException {
        int per = tensors.get(0).length;
        // Warm-up: a couple of batches (first runs allocate and pick kernels).
        runPass(env, session, input, output, tensors.subList(0, Math.min(tensors.size(), 2 * batch)), batch, per);
        double[] rates = new double[passes];
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            runPass(env, session, input, output, tensors, batch, per);
            rates[p] = tensors.size() / ((System.nanoTime() - t0) / 1e9);
        }
        double median = ScaleBench.median(rates);
        System.out.printf(Locale.ROOT, "ORT alone, batch %d, %d intra-op threads, %s: %.2f images/s (passes %s)%n",
                batch, threads, cuda ? "CUDA" : "CPU", median, Arrays.toString(rates));
        System.out.printf(Locale.ROOT, "ORT {\"batch\":%d,\"threads\":%d,\"device\":\"%s\",\"images\":%d,"
                + "\"images_per_s\":%.3f,\"ms_per_batch1_image\":%.3f}%n", batch, threads, cuda ? "cuda" : "cpu",
                tensors.size(), median, 1000.0 / median);
    }

    private static void runPass(OrtEnvironment env, OrtSession session, String input, String output,
                                List<float[]> tensors, int batch, int per) throws OrtException {
        for (int i = 0; i < tensors.size(); i += batch) {
            int n = Math.min(batch, tensors.size() - i);
            FloatBuffer buf = FloatBuffer.allocate(n * per);
            for (int j = 0; j < n; j++) {
                buf.put(tensors.get(i + j));
            }
            buf.flip();
            try (OnnxTensor t = OnnxTensor.createTensor(env, buf, new long[] {n, 3, 224, 224});
                 OrtSession.Result r = session.run(Map.of(input, t), java.util.Set.of(output))) {
                long[] shape = ((OnnxTensor) r.get(0)).getInfo().getShape();
                if (shape[0] != n) {
                    throw new IllegalStateException("expected " + n + " outputs, got shape " + Arrays.toString(shape));
                }
            }
        }
    }
}
