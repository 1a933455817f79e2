package com.imageretrieval.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated ONNX models for tests (pretrained weights cannot be downloaded here).
 *
 * <ul>
 *   <li>{@link #colourModel}: designed weights that keep colour, so that ranking tests mean something (a network with
 *       random weights maps every image to nearly the same direction).</li>
 *   <li>{@link #logitsModel}: the colour model plus a 1000-way classifier, shaped like the ONNX Model Zoo ResNets, whose
 *       graph output is logits.</li>
 *   <li>{@link #resnet50Random}: the real ResNet-50 topology with seeded random weights, for shapes and timing.</li>
 * </ul>
 */
public final class TestModels {

    /** Graph input name of the colour and logits models. */
    public static final String COLOUR_INPUT = "image";
    /** Graph input name of the random ResNet-50 (as in the Model Zoo's resnet50-v1-7). */
    public static final String RESNET_INPUT = "data";

    private static final int OPSET = 13;
    private static final float[] THRESHOLDS = {-1.5f, -0.75f, 0f, 0.75f, 1.5f};

    private TestModels() {
    }

    // ------------------------------------------------------------------ colour model

    /**
     * 1x1 convolution weights of the colour model, [C][3] over the normalised R, G, B inputs. Per colour channel and
     * threshold t a pair relu(x - t), relu(t - x) (a soft histogram of each channel), then relu(x_a - x_b) for the six
     * ordered channel pairs (hue). Distinct colours give distinct directions after average pooling.
     */
    public static float[][] colourWeights() {
        List<float[]> rows = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < THRESHOLDS.length; t++) {
                float[] up = new float[3];
                up[c] = 1f;
                float[] down = new float[3];
                down[c] = -1f;
                rows.add(up);
                rows.add(down);
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                if (a != b) {
                    float[] diff = new float[3];
                    diff[a] = 1f;
                    diff[b] = -1f;
                    rows.add(diff);
                }
            }
        }
        return rows.toArray(new float[0][]);
    }

    /** Biases matching {@link #colourWeights()}. */
    public static float[] colourBias() {
        float[] bias = new float[colourChannels()];
        int i = 0;
        for (int c = 0; c < 3; c++) {
            for (float t : THRESHOLDS) {
                bias[i++] = -t; // relu(x - t)
                bias[i++] = t; // relu(t - x)
            }
        }
        return bias; // the six differences have no bias
    }

    /** C, the colour model's output dimension. */
    public static int colourChannels() {
        return 3 * THRESHOLDS.length * 2 + 6;
    }

    /** image [N,3,H,W] (all symbolic but 3) -> Conv1x1 -> Relu -> GlobalAveragePool -> Flatten -> features [N,C]. */
    public static Path colourModel(Path file) throws IOException {
        return write(colourGraph(Head.FLATTEN), file);
    }

    /** The colour model followed by Gemm to 1000 classes: output "logits" [N,1000], features only inside. */
    public static Path logitsModel(Path file) throws IOException {
        return write(colourGraph(Head.LOGITS), file);
    }

    /** The colour model without Flatten: output "pooled" [N,C,1,1], straight from GlobalAveragePool. */
    public static Path colourModelUnflattened(Path file) throws IOException {
        return write(colourGraph(Head.POOLED_4D), file);
    }

    /** Logits after ReduceMean over H,W (keepdims 0) instead of GlobalAveragePool, as some exporters write it. */
    public static Path reduceMeanLogitsModel(Path file) throws IOException {
        return write(colourGraph(Head.REDUCE_MEAN_LOGITS), file);
    }

    private enum Head { FLATTEN, LOGITS, POOLED_4D, REDUCE_MEAN_LOGITS }

    /**
     * Shaped like a CLIP vision export (Hugging Face / Xenova {@code vision_model.onnx}): input {@code pixel_values}
     * [N,3,224,224], a first output {@code last_hidden_state} (here the rank-4 activations) and the projected
     * {@code image_embeds} [N,C] = the colour features times a projection that reverses their order. Without the
     * image_embeds rule the pooled features (before the projection) would be taken.
     */
    public static Path clipVisionModel(Path file) throws IOException {
        int c = colourChannels();
        float[][] w = colourWeights();
        float[] flat = new float[c * 3];
        for (int i = 0; i < c; i++) {
            System.arraycopy(w[i], 0, flat, i * 3, 3);
        }
        float[] projection = new float[c * c];
        for (int i = 0; i < c; i++) {
            projection[i * c + (c - 1 - i)] = 1f;
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("clip_vision_like");
        g.addInput(tensorInfo("pixel_values", "N", 3, 224, 224));
        g.addInitializer(tensor("colour_w", flat, c, 3, 1, 1));
        g.addInitializer(tensor("colour_b", colourBias(), c));
        g.addInitializer(tensor("visual_projection", projection, c, c));
        g.addNode(node("Conv", "colour_conv", List.of("pixel_values", "colour_w", "colour_b"), "conv_out",
                ints("kernel_shape", 1, 1)));
        g.addNode(node("Relu", "colour_relu", List.of("conv_out"), "last_hidden_state"));
        g.addNode(node("GlobalAveragePool", "pool", List.of("last_hidden_state"), "pooled"));
        g.addNode(node("Flatten", "flatten", List.of("pooled"), "pooler_output", integer("axis", 1)));
        g.addNode(node("MatMul", "project", List.of("pooler_output", "visual_projection"), "image_embeds"));
        g.addOutput(tensorInfo("last_hidden_state", "N", c, 224, 224));
        g.addOutput(tensorInfo("image_embeds", "N", c));
        return write(g.build(), file);
    }

    private static GraphProto colourGraph(Head head) {
        int c = colourChannels();
        float[][] w = colourWeights();
        float[] flat = new float[c * 3];
        for (int i = 0; i < c; i++) {
            System.arraycopy(w[i], 0, flat, i * 3, 3);
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("colour_" + head.name().toLowerCase(Locale.ROOT));
        g.addInput(tensorInfo(COLOUR_INPUT, "N", 3, "H", "W"));
        g.addInitializer(tensor("colour_w", flat, c, 3, 1, 1));
        g.addInitializer(tensor("colour_b", colourBias(), c));
        g.addNode(node("Conv", "colour_conv", List.of(COLOUR_INPUT, "colour_w", "colour_b"), "conv_out",
                ints("kernel_shape", 1, 1)));
        g.addNode(node("Relu", "colour_relu", List.of("conv_out"), "relu_out"));
        String features;
        if (head == Head.REDUCE_MEAN_LOGITS) {
            g.addNode(node("ReduceMean", "mean", List.of("relu_out"), "mean_out", ints("axes", 2, 3),
                    integer("keepdims", 0)));
            features = "mean_out";
        } else {
            g.addNode(node("GlobalAveragePool", "pool", List.of("relu_out"), "pooled"));
            if (head == Head.POOLED_4D) {
                g.addOutput(tensorInfo("pooled", "N", c, 1, 1));
                return g.build();
            }
            g.addNode(node("Flatten", "flatten", List.of("pooled"), "features", integer("axis", 1)));
            features = "features";
        }
        if (head == Head.FLATTEN) {
            g.addOutput(tensorInfo("features", "N", c));
            return g.build();
        }
        SplittableRandom rnd = new SplittableRandom(1234);
        float[] fc = uniform(rnd, 1000 * c, (float) Math.sqrt(3.0 / c));
        g.addInitializer(tensor("fc_w", fc, 1000, c));
        g.addInitializer(tensor("fc_b", new float[1000], 1000));
        g.addNode(node("Gemm", "fc", List.of(features, "fc_w", "fc_b"), "logits", integer("transB", 1)));
        g.addOutput(tensorInfo("logits", "N", 1000));
        return g.build();
    }

    // ------------------------------------------------------------------ wide projection

    /**
     * A cheap model with ResNet-50's feature width: image "data" [N,3,224,224] -> Conv 1x1 (3 -> {@code dim},
     * seeded uniform weights) -> Relu -> GlobalAveragePool -> Flatten -> features [N,dim]. For tests and benchmarks
     * that need the app to load a model of a given dimension (its hash must match an index written by the test) but
     * never care what it computes: it loads in milliseconds, unlike {@link #resnet50Random}.
     */
    public static Path projectionModel(Path file, int dim, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        GraphProto.Builder g = GraphProto.newBuilder().setName("projection_" + dim);
        g.addInput(tensorInfo(RESNET_INPUT, "N", 3, 224, 224));
        g.addInitializer(tensor("proj_w", uniform(rnd, dim * 3, 1f), dim, 3, 1, 1));
        g.addInitializer(tensor("proj_b", uniform(rnd, dim, 0.5f), dim));
        g.addNode(node("Conv", "proj", List.of(RESNET_INPUT, "proj_w", "proj_b"), "proj_out"));
        g.addNode(node("Relu", "proj_relu", List.of("proj_out"), "proj_relu_out"));
        g.addNode(node("GlobalAveragePool", "pool", List.of("proj_relu_out"), "pool_out"));
        g.addNode(node("Flatten", "flatten", List.of("pool_out"), "features", integer("axis", 1)));
        g.addOutput(tensorInfo("features", "N", dim));
        return write(g.build(), file);
    }

    // ------------------------------------------------------------------ ResNet-50

    /**
     * ResNet-50 (v1.5: stride on the 3x3 convolutions) with batch norm folded into the convolution biases: conv7x7/2,
     * maxpool 3x3/2, bottleneck stages of 3, 4, 6, 3 blocks with projection shortcuts, GlobalAveragePool, Flatten, Gemm
     * to 1000 logits. Input "data" [N,3,224,224]. Weights are seeded He-uniform; the last convolution of each residual
     * branch is scaled down (as zero-initialised BN gammas would) so activations stay in range over 16 blocks.
     */
    public static Path resnet50Random(Path file, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        GraphProto.Builder g = GraphProto.newBuilder().setName("resnet50_random");
        g.addInput(tensorInfo(RESNET_INPUT, "N", 3, 224, 224));
        Net net = new Net(g, rnd);
        String x = net.conv(RESNET_INPUT, 3, 64, 7, 2, 3, 1f, true);
        g.addNode(node("MaxPool", "pool0", List.of(x), "pool0_out", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                ints("pads", 1, 1, 1, 1)));
        x = "pool0_out";
        int in = 64;
        int[] blocks = {3, 4, 6, 3};
        int[] mids = {64, 128, 256, 512};
        for (int s = 0; s < 4; s++) {
            int mid = mids[s];
            int out = mid * 4;
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 && s > 0 ? 2 : 1;
                String shortcut = x;
                if (b == 0) {
                    shortcut = net.conv(x, in, out, 1, stride, 0, 1f, false);
                }
                String y = net.conv(x, in, mid, 1, 1, 0, 1f, true);
                y = net.conv(y, mid, mid, 3, stride, 1, 1f, true);
                y = net.conv(y, mid, out, 1, 1, 0, 0.2f, false);
                String sum = net.name("add");
                g.addNode(node("Add", sum, List.of(y, shortcut), sum));
                String relu = net.name("relu");
                g.addNode(node("Relu", relu, List.of(sum), relu));
                x = relu;
                in = out;
            }
        }
        g.addNode(node("GlobalAveragePool", "pool1", List.of(x), "pool1_out"));
        g.addNode(node("Flatten", "flatten0", List.of("pool1_out"), "flatten0_out", integer("axis", 1)));
        g.addInitializer(tensor("fc_w", uniform(rnd, 1000 * 2048, (float) Math.sqrt(3.0 / 2048)), 1000, 2048));
        g.addInitializer(tensor("fc_b", new float[1000], 1000));
        g.addNode(node("Gemm", "fc", List.of("flatten0_out", "fc_w", "fc_b"), "logits", integer("transB", 1)));
        g.addOutput(tensorInfo("logits", "N", 1000));
        return write(g.build(), file);
    }

    private static final class Net {
        private final GraphProto.Builder g;
        private final SplittableRandom rnd;
        private int counter;

        Net(GraphProto.Builder g, SplittableRandom rnd) {
            this.g = g;
            this.rnd = rnd;
        }

        String name(String kind) {
            return kind + (counter++);
        }

        /** Conv (+ Relu) with He-uniform weights (variance 2 / fan-in, times gain^2) and small folded-BN biases. */
        String conv(String x, int in, int out, int k, int stride, int pad, float gain, boolean relu) {
            String n = name("conv");
            int fanIn = in * k * k;
            float limit = gain * (float) Math.sqrt(6.0 / fanIn);
            g.addInitializer(tensor(n + "_w", uniform(rnd, out * fanIn, limit), out, in, k, k));
            g.addInitializer(tensor(n + "_b", uniform(rnd, out, 0.05f), out));
            g.addNode(node("Conv", n, List.of(x, n + "_w", n + "_b"), n + "_out", ints("kernel_shape", k, k),
                    ints("strides", stride, stride), ints("pads", pad, pad, pad, pad)));
            if (!relu) {
                return n + "_out";
            }
            g.addNode(node("Relu", n + "_relu", List.of(n + "_out"), n + "_relu_out"));
            return n + "_relu_out";
        }
    }

    // ------------------------------------------------------------------ protobuf helpers

    private static Path write(GraphProto graph, Path file) throws IOException {
        ModelProto model = ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("image-retrieval tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
        return file;
    }

    private static float[] uniform(SplittableRandom rnd, int n, float limit) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * limit);
        }
        return v;
    }

    private static TensorProto tensor(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    /** A float tensor description; each dim is an Integer (fixed) or a String (symbolic). */
    private static ValueInfoProto tensorInfo(String name, Object... dims) {
        return tensorInfo(name, TensorProto.DataType.FLOAT, dims);
    }

    /** A tensor description of any element type (the dual encoders' int64 token ids too). */
    static ValueInfoProto tensorInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else {
                dim.setDimParam(d.toString());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static NodeProto node(String op, String name, List<String> inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
