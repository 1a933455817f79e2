package com.imageretrieval.features.text;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.imageretrieval.features.ModelException;
import com.imageretrieval.features.ModelRuns;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.features.Threading;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The text half of a CLIP-style dual encoder in ONNX, in three separate steps (as a DJL Translator would split them):
 * pre-processing ({@link TextTokenizer}: text to ids and mask of the context length), the model (one single-threaded
 * ONNX Runtime session, created once, shared by all threads: {@link ModelRuns} in {@link Threading#THROUGHPUT} mode,
 * so each text run takes one core from the pool the image model draws on too, and never meets an image search at its
 * operator barriers) and post-processing (the embedding, L2-normalised).
 *
 * <p>What it accepts, read from the model: an int64 input {@code input_ids} [1 or N, L] (or the only int64 input of
 * rank 2), an optional {@code attention_mask} of the same shape, no other input. L is the input's fixed length when
 * the model declares one, else {@value #DEFAULT_CONTEXT} (CLIP's). The output is {@code text_embeds}, else the first
 * float output of rank 2. This matches the public ONNX exports of CLIP's text model (Hugging Face Optimum, Xenova,
 * Qdrant): see docs/text-search.md.
 */
public final class OnnxTextEncoder implements TextEncoder {

    private static final Logger LOG = Logger.getLogger(OnnxTextEncoder.class.getName());

    /** CLIP's context length, used when the model's sequence axis is symbolic. */
    public static final int DEFAULT_CONTEXT = 77;
    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String OUTPUT = "text_embeds";

    private final Path modelPath;
    private final OrtEnvironment env;
    private final ModelRuns runs;
    private final TextTokenizer tokenizer;
    private final String idsInput;
    private final String maskInput;
    private final String outputName;
    private final int dimension;

    private OnnxTextEncoder(Path modelPath, OrtEnvironment env, ModelRuns runs, TextTokenizer tokenizer,
            String idsInput, String maskInput, String outputName) throws ModelException {
        this.modelPath = modelPath;
        this.env = env;
        this.runs = runs;
        this.tokenizer = tokenizer;
        this.idsInput = idsInput;
        this.maskInput = maskInput;
        this.outputName = outputName;
        this.dimension = run(tokenizer.encode("")).length;
    }

    /**
     * Opens the text model and its tokenizer.
     *
     * @throws ModelException naming the file and what is wrong (missing, not ONNX, unusable inputs or outputs,
     *                        unreadable tokenizer)
     */
    public static OnnxTextEncoder open(Path model, Path tokenizerJson) throws ModelException {
        Path path = model.toAbsolutePath();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ModelException("text model not found: " + path + " (TEXT_MODEL_PATH)", e);
        } catch (IOException | OutOfMemoryError e) {
            throw new ModelException("cannot read the text model " + path + ": " + e, e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        ModelRuns runs = null;
        TextTokenizer tokenizer = null;
        try {
            runs = ModelRuns.open(env, bytes, Threading.THROUGHPUT, false);
            OrtSession session = runs.any();
            String ids = null;
            String mask = null;
            java.util.List<String> others = new java.util.ArrayList<>();
            Map<String, NodeInfo> inputInfo = session.getInputInfo();
            for (Map.Entry<String, NodeInfo> e : inputInfo.entrySet()) {
                if (!(e.getValue().getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.INT64
                        || t.getShape().length != 2) {
                    throw unusable(path, "input '" + e.getKey() + "' is not an int64 [N, L] tensor", session);
                }
                if (e.getKey().equals(IDS)) {
                    ids = e.getKey();
                } else if (e.getKey().equals(MASK)) {
                    mask = e.getKey();
                } else {
                    others.add(e.getKey());
                }
            }
            if (ids == null && others.size() == 1) {
                ids = others.remove(0); // a single unnamed token input
            }
            if (ids == null || !others.isEmpty()) {
                throw unusable(path, ids == null ? "no input_ids input" : "inputs " + others
                        + " are neither input_ids nor attention_mask", session);
            }
            long declared = ((TensorInfo) inputInfo.get(ids).getInfo()).getShape()[1];
            int context = declared > 0 ? (int) declared : DEFAULT_CONTEXT;
            String output = null;
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                if (e.getKey().equals(OUTPUT)) {
                    output = OUTPUT;
                    break;
                }
                if (output == null && e.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT
                        && t.getShape().length == 2) {
                    output = e.getKey();
                }
            }
            if (output == null) {
                throw unusable(path, "no text_embeds output and no float output of rank 2", session);
            }
            tokenizer = TextTokenizer.open(tokenizerJson, context);
            OnnxTextEncoder encoder = new OnnxTextEncoder(path, env, runs, tokenizer, ids, mask, output);
            LOG.log(Level.INFO, "text model {0}: {1}{2} -> {3} ({4}), context {5}", new Object[] {
                    path.getFileName(), ids, mask == null ? "" : " + " + mask, output, encoder.dimension, context});
            return encoder;
        } catch (OrtException | RuntimeException e) {
            close(runs, tokenizer);
            throw new ModelException("ONNX Runtime cannot use the text model " + path + ": " + e.getMessage(), e);
        } catch (ModelException e) {
            close(runs, tokenizer);
            throw e;
        }
    }

    private static ModelException unusable(Path path, String why, OrtSession session) throws OrtException {
        return new ModelException("the text model " + path + " is not a text encoder this product can feed: " + why
                + " (inputs " + session.getInputNames() + ", outputs " + session.getOutputNames() + ")");
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String modelName() {
        return modelPath.getFileName().toString();
    }

    /** The tokenizer feeding the model (context length, tokens). */
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public float[] embed(String text) {
        float[] v = run(tokenizer.encode(text));
        OnnxEmbedder.normalise(v);
        return v;
    }

    /** The model's raw output for one text. */
    private float[] run(TextTokenizer.Tokens tokens) {
        long[] shape = {1, tokens.ids().length};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(idsInput, OnnxTensor.createTensor(env, LongBuffer.wrap(tokens.ids()), shape));
            if (maskInput != null) {
                inputs.put(maskInput, OnnxTensor.createTensor(env, LongBuffer.wrap(tokens.attentionMask()), shape));
            }
            try (OrtSession.Result r = runs.run(inputs, Set.of(outputName))) {
                OnnxTensor out = (OnnxTensor) r.get(0);
                long[] s = out.getInfo().getShape();
                if (s.length != 2 || s[0] != 1) {
                    throw new IllegalStateException("text model " + modelPath + " output '" + outputName
                            + "' has shape " + java.util.Arrays.toString(s) + ", expected [1, D]");
                }
                float[] v = new float[(int) s[1]];
                out.getFloatBuffer().get(v);
                return v;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("text inference failed for model " + modelPath + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to run the text model "
                    + modelPath.getFileName(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        close(runs, tokenizer);
    }

    private static void close(ModelRuns runs, TextTokenizer tokenizer) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        if (runs != null) {
            runs.close();
        }
    }

    @Override
    public String toString() {
        return "OnnxTextEncoder[" + modelName() + ", " + idsInput + (maskInput == null ? "" : "+" + maskInput)
                + " -> " + outputName + " (" + dimension + "), context " + tokenizer.contextLength() + "]";
    }
}
