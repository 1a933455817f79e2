package com.imageretrieval.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.imageretrieval.features.OnnxEmbedder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * "ONNX Runtime alone" as a whole process, for the process-level comparison of issue 13 (target 2): a JVM that
 * loads the model into a bare session with the product's session options and runs N images in batches on ready
 * tensors. The tensors (the product's preprocessing of the first few images, reused in turn: inference cost does
 * not depend on the pixel values) are made before anything else and their time is printed, so that the caller can
 * subtract it from the process's wall clock.
 *
 * <p>Arguments: {@code MODEL IMAGES_DIR COUNT BATCH}. Prints {@code ORTPROC {"prep_ms":...,"load_ms":...,"run_ms":...}}.
 */
public final class OrtAloneProcess {

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path images = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        long t0 = System.nanoTime();
        List<float[]> tensors = Tensors.load(model, images, batch);
        int per = tensors.get(0).length;
        FloatBuffer full = FloatBuffer.allocate(batch * per);
        for (int i = 0; i < batch; i++) {
            full.put(tensors.get(i % tensors.size()));
        }
        long t1 = System.nanoTime();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = OnnxEmbedder.sessionOptions(false);
             OrtSession session = env.createSession(model.toString(), options)) {
            String input = session.getInputNames().iterator().next();
            Set<String> output = Set.of(OrtAlone.embeddingOutput(session));
            long t2 = System.nanoTime();
            for (int done = 0; done < count; done += batch) {
                int n = Math.min(batch, count - done);
                FloatBuffer buf = full.duplicate();
                buf.position(0).limit(n * per);
                try (OnnxTensor t = OnnxTensor.createTensor(env, buf.slice(), new long[] {n, 3, 224, 224});
                     OrtSession.Result r = session.run(Map.of(input, t), output)) {
                    if (r.size() != 1) {
                        throw new IllegalStateException("no output");
                    }
                }
            }
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "ORTPROC {\"prep_ms\":%.1f,\"load_ms\":%.1f,\"run_ms\":%.1f,\"images\":%d,"
                    + "\"batch\":%d}%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, count, batch);
        }
    }

    private OrtAloneProcess() {
    }
}
