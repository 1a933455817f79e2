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
import java.util.Map;
import java.util.Set;

/**
 * A bare ONNX Runtime session on the benchmark model: the "ORT alone" reference. Same session options as the
 * product's embedder (all graph optimisations, intra-op threads = cores); only {@code session.run} on tensors that
 * were preprocessed beforehand is timed.
 */
final class OrtAlone implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
    private final OrtSession session;
    private final String input;
    private final String output;
    final int threads;
    final boolean cuda;

    OrtAlone(Path model, int threads, boolean cuda) throws OrtException {
        this.threads = threads;
        this.cuda = cuda;
        opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        opts.setIntraOpNumThreads(threads);
        if (cuda) {
            opts.addCUDA(0);
        }
        session = env.createSession(model.toString(), opts);
        input = session.getInputNames().iterator().next();
        output = embeddingOutput(session);
    }

    /** The output whose last dimension is 2048 (the pooled embedding) if the graph has one, else the first. */
    static String embeddingOutput(OrtSession session) throws OrtException {
        String first = null;
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t) {
                long[] shape = t.getShape();
                if (shape.length > 0 && shape[shape.length - 1] == 2048) {
                    return e.getKey();
                }
            }
            if (first == null) {
                first = e.getKey();
            }
        }
        return first;
    }

    /** One timed pass over all tensors in batches of {@code batch}: images per second. */
    double pass(List<float[]> tensors, int batch) throws OrtException {
        long t0 = System.nanoTime();
        run(tensors, batch);
        return tensors.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Untimed run of a few batches (first runs allocate and choose kernels). */
    void warmUp(List<float[]> tensors, int batch) throws OrtException {
        run(tensors.subList(0, Math.min(tensors.size(), 2 * batch)), batch);
    }

    private void run(List<float[]> tensors, int batch) throws OrtException {
        int per = tensors.get(0).length;
        for (int i = 0; i < tensors.size(); i += batch) {
            int n = Math.min(batch, tensors.size() - i);
            FloatBuffer buf = FloatBuffer.allocate(n * per);
            for (int j = 0; j < n; j++) {
                buf.put(tensors.get(i + j));
            }
            buf.flip();
            try (OnnxTensor t = OnnxTensor.createTensor(env, buf, new long[] {n, 3, 224, 224});
                 OrtSession.Result r = session.run(Map.of(input, t), Set.of(output))) {
                long[] shape = ((OnnxTensor) r.get(0)).getInfo().getShape();
                if (shape[0] != n) {
                    throw new IllegalStateException("expected " + n + " outputs, got shape " + Arrays.toString(shape));
                }
            }
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        opts.close();
    }
}
