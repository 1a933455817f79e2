package com.imageretrieval.it;

import ai.onnx.proto.OnnxMl;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.ModelException;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.testing.TestDualEncoders;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small DESIGNED colour model for the integration tests: Conv 1x1 (3 -> 8 channels that keep colour and its
 * differences) -> Relu -> GlobalAveragePool -> Flatten, input [N,3,224,224], output [N,8]. Random weights would make
 * every image look alike; these make images of different colours point in different directions.
 */
final class ItModels {

    static final int DIMENSION = 8;

    private static final float[][] ROWS = {
        {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {-1, 0, 0}, {0, -1, 0}, {0, 0, -1}, {1, -1, 0}, {0, 1, -1},
    };

    private ItModels() {
    }

    static Path colourModel(Path file) throws IOException {
        OnnxMl.TensorProto.Builder w = OnnxMl.TensorProto.newBuilder().setName("W")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .addDims(DIMENSION).addDims(3).addDims(1).addDims(1);
        for (float[] row : ROWS) {
            for (float v : row) {
                w.addFloatData(v);
            }
        }
        OnnxMl.TensorProto.Builder b = OnnxMl.TensorProto.newBuilder().setName("B")
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).addDims(DIMENSION);
        for (int i = 0; i < DIMENSION; i++) {
            b.addFloatData(0f);
        }
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("colour")
                .addInput(tensor("data", "N", 3, 224, 224))
                .addOutput(tensor("features", "N", DIMENSION))
                .addInitializer(w).addInitializer(b)
                .addNode(node("Conv", "conv", new String[] {"data", "W", "B"}, "c"))
                .addNode(node("Relu", "relu", new String[] {"c"}, "r"))
                .addNode(node("GlobalAveragePool", "pool", new String[] {"r"}, "p"))
                .addNode(node("Flatten", "flatten", new String[] {"p"}, "features").toBuilder()
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)))
                .build();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("image-retrieval-it")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(graph).build();
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
        return file;
    }

    /** The three files of a dual encoder, as TEXT_MODEL_PATH / TOKENIZER_PATH / MODEL_PATH take them. */
    record DualEncoder(Path image, Path text, Path tokenizer) {
    }

    /** English colour words and their Chinese names (the page test types one of each). */
    static final Map<String, String> CHINESE = Map.of("red", "红色", "green", "绿色", "blue", "蓝色", "purple", "紫色",
            "yellow", "黄色");

    /**
     * A generated text encoder and tokenizer.json next to {@code imageModel} (see TestDualEncoders): each colour word,
     * in English and Chinese, is embedded where {@code imageModel} puts a plain image of that colour; "flowers",
     * "a", "photo", "of" mean nothing.
     */
    static DualEncoder dualEncoder(Path dir, Path imageModel, Map<String, Color> colours) throws IOException {
        List<String> words = new ArrayList<>(colours.keySet());
        words.addAll(List.of("flowers", "a", "photo", "of"));
        Map<String, float[]> rows = new HashMap<>();
        float[] pad;
        try (OnnxEmbedder image = OnnxEmbedder.open(imageModel, AppConfig.Device.CPU)) {
            rows.putAll(TestDualEncoders.colourRows(colours, image::embed));
            pad = image.embed(TestDualEncoders.plain(TestDualEncoders.PAD_DIRECTION));
        } catch (ModelException e) {
            throw new IOException(e);
        }
        for (String colour : colours.keySet()) {
            String zh = CHINESE.get(colour);
            if (zh != null) {
                words.add(zh);
                rows.put(zh, rows.get(colour));
            }
        }
        Path text = TestDualEncoders.textModel(dir.resolve("text_model.onnx"), words, rows, pad,
                TestDualEncoders.Shape.clipLike());
        Path tokenizer = TestDualEncoders.wordTokenizer(dir.resolve("tokenizer.json"), words, false);
        return new DualEncoder(imageModel, text, tokenizer);
    }

    /** The dual encoder of the IT collection: the colour model and the five ItDataset colours. */
    static DualEncoder itDualEncoder(Path dir, Path colourModel) throws IOException {
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Map.Entry<String, Float> e : ItDataset.HUES.entrySet()) {
            colours.put(e.getKey(), Color.getHSBColor(e.getValue(), 0.75f, 0.75f));
        }
        return dualEncoder(dir, colourModel, colours);
    }

    private static OnnxMl.NodeProto node(String op, String name, String[] inputs, String output) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n.build();
    }

    private static OnnxMl.ValueInfoProto tensor(String name, String batch, int... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
                .addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (int d : dims) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()).setShape(shape))).build();
    }
}
