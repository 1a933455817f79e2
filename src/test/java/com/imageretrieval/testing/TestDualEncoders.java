package com.imageretrieval.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Generated dual encoders for text search tests (CLIP weights cannot be downloaded here): a word-level Hugging Face
 * {@code tokenizer.json} and an ONNX text encoder with DESIGNED weights whose vector for a colour word is the image
 * encoder's vector of an image of that colour. So "red" must find the red images, through every layer.
 *
 * <p>The text encoder: {@code input_ids} int64 [N, L] -> Gather from an embedding table [V, D] -> (times the
 * {@code attention_mask}, when the model has one) -> ReduceSum over L -> {@code text_embeds} [N, D]; the token
 * embeddings are a first output {@code last_hidden_state} [N, L, D], as in CLIP exports, so output selection is
 * tested too. The pad token's row is NOT zero (it points at {@link #PAD_DIRECTION}): a model or a tokenizer that let
 * padding through would pull every query towards it.
 */
public final class TestDualEncoders {

    /** Special tokens, ids 0..3; the words follow from id 4 in the order given. */
    public static final List<String> SPECIALS = List.of("[PAD]", "[UNK]", "[BOS]", "[EOS]");
    public static final int PAD_ID = 0;
    public static final int UNK_ID = 1;
    public static final int BOS_ID = 2;
    public static final int EOS_ID = 3;
    /** The colour the pad token's row points at (see the class comment). */
    public static final Color PAD_DIRECTION = Color.BLUE;

    /** Shape of the generated text model. */
    public record Shape(int fixedLength, boolean attentionMask, String outputName) {
        /** Like the Hugging Face / Xenova CLIP text exports: symbolic [N, L], attention_mask, text_embeds. */
        public static Shape clipLike() {
            return new Shape(0, true, "text_embeds");
        }
    }

    /** The three files of a dual encoder, as MODEL_PATH / TEXT_MODEL_PATH / TOKENIZER_PATH take them. */
    public record Files3(Path image, Path text, Path tokenizer) {
    }

    /** English colour words and their Chinese names (the tests type some of each). */
    public static final Map<String, String> CHINESE = Map.of("red", "红色", "green", "绿色", "blue", "蓝色",
            "purple", "紫色", "yellow", "黄色");

    private TestDualEncoders() {
    }

    /**
     * A text encoder and tokenizer.json in {@code dir} for the image model {@code imageModel}: each colour word of
     * {@code colours}, in English and (from {@link #CHINESE}) Chinese, is embedded where the image model puts a plain
     * image of that colour; "flowers", "a", "photo", "of" mean nothing. CLIP-like shape, no padding section.
     */
    public static Files3 colourDualEncoder(Path dir, Path imageModel, Map<String, Color> colours) throws IOException {
        List<String> words = new ArrayList<>(colours.keySet());
        words.addAll(List.of("flowers", "a", "photo", "of"));
        Map<String, float[]> rows = new LinkedHashMap<>();
        float[] pad;
        try (com.imageretrieval.features.OnnxEmbedder image = com.imageretrieval.features.OnnxEmbedder.open(
                imageModel, com.imageretrieval.config.AppConfig.Device.CPU)) {
            rows.putAll(colourRows(colours, image::embed));
            pad = image.embed(TestImages.solid(PAD_DIRECTION, 256, 256));
        } catch (com.imageretrieval.features.ModelException e) {
            throw new IOException(e);
        }
        for (String colour : colours.keySet()) {
            String zh = CHINESE.get(colour);
            if (zh != null) {
                words.add(zh);
                rows.put(zh, rows.get(colour));
            }
        }
        Path text = textModel(dir.resolve("text_model.onnx"), words, rows, pad, Shape.clipLike());
        Path tokenizer = wordTokenizer(dir.resolve("tokenizer.json"), words, false);
        return new Files3(imageModel, text, tokenizer);
    }

    /** A word-level tokenizer.json: lowercase, whitespace pre-tokenizer, [BOS] text [EOS], unknown words [UNK]. */
    public static Path wordTokenizer(Path file, List<String> words, boolean withPaddingSection) throws IOException {
        StringBuilder vocab = new StringBuilder();
        List<String> all = new ArrayList<>(SPECIALS);
        all.addAll(words);
        for (int i = 0; i < all.size(); i++) {
            vocab.append(i == 0 ? "" : ",").append(quote(all.get(i))).append(':').append(i);
        }
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < SPECIALS.size(); i++) {
            added.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"content\":")
                    .append(quote(SPECIALS.get(i))).append(",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
                            + "\"normalized\":false,\"special\":true}");
        }
        String padding = withPaddingSection ? "{\"strategy\":\"BatchLongest\",\"direction\":\"Right\","
                + "\"pad_to_multiple_of\":null,\"pad_id\":0,\"pad_type_id\":0,\"pad_token\":\"[PAD]\"}" : "null";
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":" + padding + ","
                + "\"added_tokens\":[" + added + "],"
                + "\"normalizer\":{\"type\":\"Lowercase\"},"
                + "\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":{\"type\":\"TemplateProcessing\","
                + "\"single\":[{\"SpecialToken\":{\"id\":\"[BOS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\","
                + "\"type_id\":0}},{\"SpecialToken\":{\"id\":\"[EOS]\",\"type_id\":0}}],"
                + "\"pair\":[{\"SpecialToken\":{\"id\":\"[BOS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\","
                + "\"type_id\":0}},{\"Sequence\":{\"id\":\"B\",\"type_id\":1}},{\"SpecialToken\":{\"id\":\"[EOS]\","
                + "\"type_id\":1}}],"
                + "\"special_tokens\":{\"[BOS]\":{\"id\":\"[BOS]\",\"ids\":[2],\"tokens\":[\"[BOS]\"]},"
                + "\"[EOS]\":{\"id\":\"[EOS]\",\"ids\":[3],\"tokens\":[\"[EOS]\"]}}},"
                + "\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"[UNK]\"}}";
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The text encoder for {@code words} (ids from 4, as {@link #wordTokenizer} numbers them): a word's row is
     * {@code rows.get(word)}, or zero when absent (a word that means nothing to the model); [UNK], [BOS] and [EOS] are
     * zero; [PAD] is {@code padRow}.
     */
    public static Path textModel(Path file, List<String> words, Map<String, float[]> rows, float[] padRow,
            Shape shape) throws IOException {
        int dim = padRow.length;
        int vocab = SPECIALS.size() + words.size();
        float[] table = new float[vocab * dim];
        System.arraycopy(padRow, 0, table, PAD_ID * dim, dim);
        for (int i = 0; i < words.size(); i++) {
            float[] row = rows.get(words.get(i));
            if (row != null) {
                if (row.length != dim) {
                    throw new IllegalArgumentException("row of " + words.get(i) + " has " + row.length + " values");
                }
                System.arraycopy(row, 0, table, (SPECIALS.size() + i) * dim, dim);
            }
        }
        Object len = shape.fixedLength() > 0 ? (Object) shape.fixedLength() : "L";
        Object batch = shape.fixedLength() > 0 ? (Object) 1 : "N";
        GraphProto.Builder g = GraphProto.newBuilder().setName("text_encoder");
        g.addInput(TestModels.tensorInfo("input_ids", TensorProto.DataType.INT64, batch, len));
        if (shape.attentionMask()) {
            g.addInput(TestModels.tensorInfo("attention_mask", TensorProto.DataType.INT64, batch, len));
        }
        g.addInitializer(floats("embedding", table, vocab, dim));
        g.addInitializer(longs("axis_l", 1));
        g.addNode(node("Gather", List.of("embedding", "input_ids"), "last_hidden_state",
                integer("axis", 0)));
        String summed = "last_hidden_state";
        if (shape.attentionMask()) {
            g.addInitializer(longs("axis_d", 2));
            g.addNode(node("Cast", List.of("attention_mask"), "mask_f",
                    integer("to", TensorProto.DataType.FLOAT.getNumber())));
            g.addNode(node("Unsqueeze", List.of("mask_f", "axis_d"), "mask_3d"));
            g.addNode(node("Mul", List.of("last_hidden_state", "mask_3d"), "masked"));
            summed = "masked";
        }
        g.addNode(node("ReduceSum", List.of(summed, "axis_l"), shape.outputName(), integer("keepdims", 0)));
        g.addOutput(TestModels.tensorInfo("last_hidden_state", TensorProto.DataType.FLOAT, batch, len, dim));
        g.addOutput(TestModels.tensorInfo(shape.outputName(), TensorProto.DataType.FLOAT, batch, dim));
        return write(g.build(), file);
    }

    /**
     * Rows for colour words: {@code imageEmbedding} applied to a plain image of each colour, so a colour word and an
     * image of that colour point the same way.
     */
    public static Map<String, float[]> colourRows(Map<String, Color> colours,
            Function<BufferedImage, float[]> imageEmbedding) {
        Map<String, float[]> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Color> e : colours.entrySet()) {
            rows.put(e.getKey(), imageEmbedding.apply(TestImages.solid(e.getValue(), 256, 256)));
        }
        return rows;
    }

    // ------------------------------------------------------------------ protobuf helpers

    private static Path write(GraphProto graph, Path file) throws IOException {
        ModelProto model = ModelProto.newBuilder().setIrVersion(8).setProducerName("image-retrieval tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13)).setGraph(graph).build();
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            model.writeTo(out);
        }
        return file;
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.FLOAT.getNumber()).setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static TensorProto longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name)
                .setDataType(TensorProto.DataType.INT64.getNumber()).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }

    private static NodeProto node(String op, List<String> inputs, String output, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(output + "_" + op).addAllInput(inputs)
                .addOutput(output);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        return n.build();
    }

    private static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
