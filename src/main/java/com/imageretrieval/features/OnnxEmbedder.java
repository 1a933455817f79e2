package com.imageretrieval.features;

import com.imageretrieval.common.Checksums;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import com.imageretrieval.config.AppConfig;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An {@link Embedder} backed by ONNX Runtime sessions created once and shared by all threads ({@code OrtSession.run}
 * is thread-safe); {@link ModelRuns} decides which session and how many cores each run gets ({@link Threading}).
 *
 * <p>The model's input (NCHW, 3 channels; symbolic H and W mean 224) and output are read from the model. For a
 * classification model the pooled features before the classifier are exposed and used instead of the logits (see
 * {@link EmbeddingOutput}). Vectors are flattened to D and L2-normalised.
 */
public final class OnnxEmbedder implements Embedder {

    private static final Logger LOG = Logger.getLogger(OnnxEmbedder.class.getName());

    private final Path modelPath;
    private final String modelHash;
    private final OrtEnvironment env;
    private final ModelRuns runs;
    private final String device;
    private final String inputName;
    private final String outputName;
    private final Set<String> outputs;
    private final ImageNetPreprocessor preprocessor;
    private final int dimension;

    private OnnxEmbedder(Path modelPath, String modelHash, OrtEnvironment env, ModelRuns runs, String device,
            String inputName, String outputName, ImageNetPreprocessor preprocessor, int dimension) {
        this.modelPath = modelPath;
        this.modelHash = modelHash;
        this.env = env;
        this.runs = runs;
        this.device = device;
        this.inputName = inputName;
        this.outputName = outputName;
        this.outputs = Set.of(outputName);
        this.preprocessor = preprocessor;
        this.dimension = dimension;
    }

    /**
     * Loads the model on the requested device: CPU; CUDA (fails when the CUDA provider cannot be used); AUTO (CUDA if
     * it works, else CPU).
     *
     * @throws ModelException naming the path, for a missing, unreadable or non-ONNX file, an unusable input or output
     *                        shape, or an unavailable CUDA device
     */
    public static OnnxEmbedder open(Path model, AppConfig.Device device) throws ModelException {
        return open(model, device, AppConfig.Preprocessing.IMAGENET);
    }

    /**
     * Loads the model with the given image pre-processing profile. The profile is part of {@link #modelHash()}
     * (vectors made with another transform are stale): ImageNet keeps the file's plain SHA-256, so indexes made
     * before profiles existed stay valid; CLIP appends {@code +clip}.
     */
    public static OnnxEmbedder open(Path model, AppConfig.Device device, AppConfig.Preprocessing profile)
            throws ModelException {
        return open(model, device, profile, Threading.ADAPTIVE);
    }

    /** Loads the model with a threading mode: {@link Threading#ADAPTIVE} where searches are answered, THROUGHPUT for a
     * process that only builds. */
    public static OnnxEmbedder open(Path model, AppConfig.Device device, AppConfig.Preprocessing profile,
            Threading threading) throws ModelException {
        Path path = model.toAbsolutePath();
        byte[] bytes = readModel(path);
        // Start-up: hashing 100 MB (for the index metadata) overlaps parsing the graph and creating the session.
        CompletableFuture<String> hash = CompletableFuture.supplyAsync(() -> Checksums.sha256Hex(bytes)
                + (profile == AppConfig.Preprocessing.IMAGENET ? ""
                        : "+" + profile.name().toLowerCase(java.util.Locale.ROOT)));
        EmbeddingOutput prepared = prepare(path, bytes);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        if (device != AppConfig.Device.CPU) {
            try {
                return start(path, hash, env, prepared, profile, threading, true);
            } catch (OrtException | LinkageError e) {
                // LinkageError: the provider's native library (or CUDA/cuDNN below it) is missing or incompatible.
                if (device == AppConfig.Device.CUDA) {
                    throw new ModelException("ORT_DEVICE=cuda, but ONNX Runtime cannot use CUDA for " + path + ": "
                            + e.getMessage() + " (a CUDA build needs the 'gpu' Maven profile, CUDA 12 and cuDNN 9;"
                            + " use ORT_DEVICE=auto or cpu to run on the CPU)", e);
                }
                LOG.log(Level.INFO, "CUDA not available ({0}); using the CPU", e.getMessage());
            }
        }
        try {
            return start(path, hash, env, prepared, profile, threading, false);
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    /** Sessions plus a probe run on one device; everything is released again if any step fails. */
    private static OnnxEmbedder start(Path path, CompletableFuture<String> hash, OrtEnvironment env,
            EmbeddingOutput prepared, AppConfig.Preprocessing profile, Threading threading, boolean cuda)
            throws OrtException, ModelException {
        ModelRuns runs = ModelRuns.open(env, prepared.modelBytes(), threading, cuda);
        try {
            // The probe run inside configure() is where a CUDA device without working cuDNN fails, so it belongs
            // to the device attempt and an AUTO start falls back to the CPU.
            return configure(path, hash.join(), env, runs, cuda ? "cuda" : "cpu", prepared, profile);
        } catch (OrtException | ModelException | RuntimeException | LinkageError e) {
            runs.close();
            throw e;
        }
    }

    private static byte[] readModel(Path path) throws ModelException {
        try {
            if (Files.isDirectory(path)) {
                throw new ModelException("model path is a directory, not an ONNX file: " + path);
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelException("model file not found: " + path + " (set MODEL_PATH or download the model)", e);
        } catch (IOException | OutOfMemoryError e) {
            throw new ModelException("cannot read model file " + path + ": " + e, e);
        }
    }

    private static EmbeddingOutput prepare(Path path, byte[] bytes) throws ModelException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelException("not an ONNX model (corrupt or truncated protobuf): " + path, e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0 || model.getGraph().getOutputCount() == 0) {
            throw new ModelException("not an ONNX model (no graph, nodes or outputs): " + path);
        }
        EmbeddingOutput out = EmbeddingOutput.of(model, bytes);
        if (out.changed()) {
            LOG.log(Level.INFO, "{0}: using the pooled features ''{1}'' instead of the graph output",
                    new Object[] {path.getFileName(), out.outputName()});
        }
        return out;
    }

    /**
     * The session options every embedder uses (public so that benchmarks run ONNX Runtime alone with exactly the
     * same ones). The caller closes them.
     */
    public static OrtSession.SessionOptions sessionOptions(boolean cuda) throws OrtException {
        return sessionOptions(cuda, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The session options with {@code intraOpThreads} threads per run (see {@link Threading}). Idle intra-op threads
     * sleep instead of spinning: in a server they share the cores with request threads decoding uploads, and spinning
     * burnt the CPU those need (8 concurrent searches on 2 cores: 56 ms of server CPU per search with spinning, 49
     * without, at the same single-search latency).
     */
    public static OrtSession.SessionOptions sessionOptions(boolean cuda, int intraOpThreads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            o.setIntraOpNumThreads(intraOpThreads);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (cuda) {
                o.addCUDA(0);
            }
            return o;
        } catch (OrtException | RuntimeException | LinkageError e) {
            o.close();
            throw e;
        }
    }

    /** Reads input and output shapes, then runs one zero image to learn the embedding size. */
    private static OnnxEmbedder configure(Path path, String hash, OrtEnvironment env, ModelRuns runs, String device,
            EmbeddingOutput prepared, AppConfig.Preprocessing profile) throws OrtException, ModelException {
        OrtSession session = runs.any();
        String outputName = prepared.outputName();
        Map<String, NodeInfo> inputs = session.getInputInfo();
        String inputName = null;
        long[] shape = null;
        for (Map.Entry<String, NodeInfo> e : inputs.entrySet()) {
            // Old (IR < 4) models such as resnet50-v1-7 also list every weight as a graph input.
            if (prepared.initializers().contains(e.getKey())) {
                continue;
            }
            if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 4) {
                if (inputName != null) {
                    throw new ModelException("model has more than one image input (" + inputs.keySet() + "): " + path);
                }
                inputName = e.getKey();
                shape = t.getShape();
            }
        }
        if (inputName == null) {
            throw new ModelException("model has no NCHW image input (inputs: " + inputs.keySet() + "): " + path);
        }
        if (shape[1] != 3 && shape[1] > 0) {
            throw new ModelException("model input '" + inputName + "' has " + shape[1] + " channels, expected 3: "
                    + path);
        }
        int h = shape[2] > 0 ? (int) shape[2] : ImageNetPreprocessor.DEFAULT_CROP;
        int w = shape[3] > 0 ? (int) shape[3] : ImageNetPreprocessor.DEFAULT_CROP;
        if (h != w) {
            throw new ModelException("model input '" + inputName + "' is " + h + "x" + w + "; only square inputs"
                    + " are supported: " + path);
        }
        ImageNetPreprocessor pre = ImageNetPreprocessor.of(profile, h);
        if (!session.getOutputNames().contains(outputName)) {
            throw new ModelException("model output '" + outputName + "' not found in " + session.getOutputNames()
                    + ": " + path);
        }
        int dim = probeDimension(env, session, inputName, outputName, pre.tensorLength(), h, path);
        return new OnnxEmbedder(path, hash, env, runs, device, inputName, outputName, pre, dim);
    }

    private static int probeDimension(OrtEnvironment env, OrtSession session, String input, String output,
            int length, int size, Path path) throws OrtException, ModelException {
        FloatBuffer zeros = ByteBuffer.allocateDirect(length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        try (OnnxTensor t = OnnxTensor.createTensor(env, zeros, new long[] {1, 3, size, size});
             OrtSession.Result r = session.run(Map.of(input, t), Set.of(output))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor out) || out.getInfo().type != OnnxJavaType.FLOAT) {
                throw new ModelException("model output '" + output + "' is not a float tensor: " + path);
            }
            long[] s = out.getInfo().getShape();
            long d = 1;
            for (int i = 1; i < s.length; i++) {
                d *= s[i];
            }
            if (s.length < 2 || s[0] != 1 || d < 1 || d > 1 << 20) {
                throw new ModelException("model output '" + output + "' has shape " + Arrays.toString(s)
                        + "; expected [N, D] or [N, D, 1, 1]: " + path);
            }
            return (int) d;
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int parallelRuns() {
        return runs.parallelRuns();
    }

    @Override
    public RunCount runCount() {
        return runs.counts();
    }

    @Override
    public String device() {
        return device;
    }

    @Override
    public String modelName() {
        return modelPath.getFileName().toString();
    }

    @Override
    public String modelHash() {
        return modelHash;
    }

    /** The model file this embedder was opened from (absolute). */
    public Path modelPath() {
        return modelPath;
    }

    /** The graph input fed with images. */
    public String inputName() {
        return inputName;
    }

    /** The graph output read as the embedding (the pooled features for a classification model). */
    public String outputName() {
        return outputName;
    }

    @Override
    public float[] preprocess(BufferedImage image) {
        return preprocessor.apply(image);
    }

    /**
     * Runs all tensors as one batch: they are copied into one direct buffer that ONNX Runtime reads without another
     * copy. Safe to call from many threads at once: {@link ModelRuns} gives each run its share of the cores, and runs
     * beyond {@link #parallelRuns()} wait their turn in arrival order (an interrupted wait throws
     * {@link IllegalStateException}).
     *
     * @throws IllegalArgumentException for a tensor of the wrong length
     * @throws IllegalStateException    when the runtime fails (the message names the model)
     */
    @Override
    public float[][] embedPreprocessed(List<float[]> tensors) {
        int n = tensors.size();
        if (n == 0) {
            return new float[0][];
        }
        int len = preprocessor.tensorLength();
        FloatBuffer batch = inputBuffer(n * len);
        for (float[] t : tensors) {
            if (t.length != len) {
                throw new IllegalArgumentException("tensor of " + t.length + " floats, the model takes " + len);
            }
            batch.put(t);
        }
        batch.rewind();
        int size = preprocessor.crop();
        try (OnnxTensor input = OnnxTensor.createTensor(env, batch, new long[] {n, 3, size, size});
             OrtSession.Result result = runs.run(Map.of(inputName, input), outputs)) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            if (out.remaining() != n * dimension) {
                throw new IllegalStateException("model " + modelPath + " returned " + out.remaining()
                        + " floats for " + n + " images of dimension " + dimension);
            }
            float[][] vectors = new float[n][dimension];
            for (int i = 0; i < n; i++) {
                out.get(vectors[i]);
                normalise(vectors[i]);
            }
            return vectors;
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed for model " + modelPath + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to run the model " + modelPath.getFileName(), e);
        } finally {
            release(batch); // the tensor made from it is closed by now
        }
    }

    /**
     * A direct buffer of at least {@code floats} floats (position 0, limit floats), from this embedder's pool: direct
     * memory is only returned when the garbage collector finds a buffer, and an index build would otherwise leave
     * hundreds waiting. The pool belongs to the embedder, not to threads (issue 10): no buffer stays behind on a
     * container thread after undeploy; {@link #close()} empties it. Give it back with {@link #release}.
     */
    private FloatBuffer inputBuffer(int floats) {
        for (FloatBuffer cached; (cached = pool.poll()) != null; ) {
            if (cached.capacity() >= floats) {
                cached.clear().limit(floats);
                return cached;
            }
            // too small for this batch: dropped, the collector frees it
        }
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Returns a buffer to the pool (at most a few, of at most 32 MB, are kept). */
    private void release(FloatBuffer buffer) {
        if (buffer.capacity() <= MAX_CACHED_FLOATS && pool.size() < MAX_POOLED && !closed) {
            pool.offer(buffer);
        }
    }

    private static final int MAX_CACHED_FLOATS = 8 << 20;
    private static final int MAX_POOLED = 4;
    private final java.util.concurrent.ConcurrentLinkedQueue<FloatBuffer> pool =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    /** L2 normalisation in double precision; an all-zero vector stays zero (no direction to keep). */
    public static void normalise(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            return;
        }
        double inv = 1.0 / Math.sqrt(sum);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * inv);
        }
    }

    @Override
    public void close() {
        closed = true;
        pool.clear();
        runs.close();
    }

    @Override
    public String toString() {
        return "OnnxEmbedder[" + modelName() + ", " + device + ", " + inputName + " -> " + outputName + " (" + dimension
                + ")]";
    }
}
