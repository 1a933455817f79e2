package com.imageretrieval.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.config.AppConfig.Device;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbedderTest {

    private static final Path DIR = Path.of("target", "test-models", "onnx-embedder");
    private static Path colourFile;
    private static Path logitsFile;
    private static OnnxEmbedder colour;
    private static OnnxEmbedder logits;

    @BeforeAll
    static void models() throws Exception {
        colourFile = TestModels.colourModel(DIR.resolve("colour.onnx"));
        logitsFile = TestModels.logitsModel(DIR.resolve("logits.onnx"));
        colour = OnnxEmbedder.open(colourFile, Device.CPU);
        logits = OnnxEmbedder.open(logitsFile, Device.CPU);
    }

    @AfterAll
    static void close() {
        colour.close();
        logits.close();
    }

    @Test
    void describesTheModel() throws Exception {
        assertEquals(TestModels.colourChannels(), colour.dimension(), "dimension read from the model");
        assertEquals("cpu", colour.device());
        assertEquals("colour.onnx", colour.modelName());
        assertEquals(TestModels.COLOUR_INPUT, colour.inputName());
        assertEquals("features", colour.outputName());
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(colourFile)));
        assertEquals(hash, colour.modelHash());
        assertTrue(!hash.equals(logits.modelHash()));
    }

    @Test
    void vectorsHaveUnitLength() {
        for (BufferedImage img : List.of(TestImages.gradient(90, 60, 1), TestImages.solid(Color.ORANGE, 40, 70),
                TestImages.solid(Color.BLACK, 30, 30))) {
            float[] v = colour.embed(img);
            assertEquals(colour.dimension(), v.length);
            assertEquals(1.0, norm(v), 1e-5);
        }
    }

    /** The model's arithmetic redone in Java from the preprocessed tensor: 1x1 conv, ReLU, mean, L2. */
    @Test
    void embeddingEqualsTheDesignedComputation() {
        BufferedImage img = TestImages.gradient(300, 200, 12);
        float[] tensor = colour.preprocess(img);
        float[][] w = TestModels.colourWeights();
        float[] b = TestModels.colourBias();
        int plane = 224 * 224;
        float[] expected = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            double sum = 0;
            for (int p = 0; p < plane; p++) {
                double z = b[k] + w[k][0] * tensor[p] + w[k][1] * tensor[plane + p] + w[k][2] * tensor[2 * plane + p];
                sum += Math.max(0, z);
            }
            expected[k] = (float) (sum / plane);
        }
        double n = norm(expected);
        for (int k = 0; k < expected.length; k++) {
            expected[k] /= n;
        }
        assertArrayEquals(expected, colour.embed(img), 1e-4f);
    }

    @Test
    void colourFamiliesRankTheirOwnMembersFirst() {
        float[] hues = {0f, 0.15f, 0.33f, 0.5f, 0.66f, 0.83f};
        int perFamily = 5;
        List<BufferedImage> images = new ArrayList<>();
        List<Integer> family = new ArrayList<>();
        for (int f = 0; f < hues.length; f++) {
            for (BufferedImage img : TestImages.colourFamily(hues[f], perFamily, 48, 36, 100 + f)) {
                images.add(img);
                family.add(f);
            }
        }
        List<float[]> vectors = colour.embed(images);
        for (int q = 0; q < images.size(); q++) {
            // brute-force cosine ranking of all other images
            final float[] query = vectors.get(q);
            final int self = q;
            List<Integer> ranked = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                if (i != self) {
                    ranked.add(i);
                }
            }
            ranked.sort(Comparator.comparingDouble((Integer i) -> -cosine(query, vectors.get(i))));
            for (int r = 0; r < perFamily - 1; r++) {
                assertEquals(family.get(q), family.get(ranked.get(r)),
                        "query " + q + " (family " + family.get(q) + "): rank " + r + " is image " + ranked.get(r));
            }
        }
    }

    @Test
    void logitsModelYieldsThePooledFeaturesNotTheLogits() {
        assertEquals(TestModels.colourChannels(), logits.dimension(), "pooled C, not 1000 logits");
        assertEquals("features", logits.outputName());
        for (BufferedImage img : List.of(TestImages.gradient(120, 80, 3), TestImages.solid(Color.CYAN, 50, 50))) {
            assertArrayEquals(colour.embed(img), logits.embed(img), 1e-5f);
        }
    }

    @Test
    void otherPoolingLayoutsGiveTheSameFeatures() throws Exception {
        BufferedImage img = TestImages.gradient(140, 100, 8);
        float[] expected = colour.embed(img);
        try (OnnxEmbedder fourD = OnnxEmbedder.open(TestModels.colourModelUnflattened(DIR.resolve("pooled4d.onnx")),
                Device.CPU)) {
            assertEquals("pooled", fourD.outputName(), "an [N,C,1,1] output is used as it is");
            assertEquals(TestModels.colourChannels(), fourD.dimension());
            assertArrayEquals(expected, fourD.embed(img), 1e-5f);
        }
        try (OnnxEmbedder reduce = OnnxEmbedder.open(TestModels.reduceMeanLogitsModel(DIR.resolve("reducemean.onnx")),
                Device.CPU)) {
            assertEquals("mean_out", reduce.outputName(), "ReduceMean over H,W counts as the pool");
            assertEquals(TestModels.colourChannels(), reduce.dimension());
            assertArrayEquals(expected, reduce.embed(img), 1e-5f);
        }
    }

    @Test
    void weightsListedAsGraphInputsAreNotTakenForTheImageInput() throws Exception {
        // IR 3 models (the Model Zoo's resnet50-v1-7) list every initializer among the graph inputs as well.
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(logitsFile));
        GraphProto.Builder graph = model.getGraph().toBuilder();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (long d : t.getDimsList()) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            graph.addInput(ValueInfoProto.newBuilder().setName(t.getName()).setType(TypeProto.newBuilder()
                    .setTensorType(TypeProto.Tensor.newBuilder().setElemType(t.getDataType()).setShape(shape))));
        }
        Path legacy = Files.write(DIR.resolve("legacy-inputs.onnx"),
                model.toBuilder().setGraph(graph).build().toByteArray());
        try (OnnxEmbedder e = OnnxEmbedder.open(legacy, Device.CPU)) {
            assertEquals(TestModels.COLOUR_INPUT, e.inputName());
            assertEquals("features", e.outputName());
            BufferedImage img = TestImages.gradient(90, 70, 6);
            assertArrayEquals(colour.embed(img), e.embed(img), 1e-5f);
        }
    }

    @Test
    void batchEqualsSingleCalls() {
        List<BufferedImage> images = List.of(TestImages.gradient(100, 70, 1), TestImages.gradient(70, 100, 2),
                TestImages.solid(Color.MAGENTA, 64, 64), TestImages.gradient(256, 256, 3));
        List<float[]> batch = colour.embed(images);
        for (int i = 0; i < images.size(); i++) {
            assertArrayEquals(colour.embed(images.get(i)), batch.get(i), 1e-5f);
        }
        assertEquals(0, colour.embedPreprocessed(List.of()).length);
        assertThrows(IllegalArgumentException.class, () -> colour.embedPreprocessed(List.of(new float[10])));
    }

    @Test
    void throughputThreadingGivesTheSameVectorsWithOneRunPerCore() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, colour.parallelRuns(), "adaptive: under load one run per core");
        List<BufferedImage> images = List.of(TestImages.gradient(100, 70, 1), TestImages.solid(Color.MAGENTA, 64, 64));
        RunCount before = colour.runCount();
        colour.embed(images.get(0));
        if (cores > 1) {
            assertEquals(before.wide() + 1, colour.runCount().wide(), "a lone run on an idle machine is wide");
        } else {
            assertEquals(before.narrow() + 1, colour.runCount().narrow(), "one core: every run is narrow");
        }
        try (OnnxEmbedder bulk = OnnxEmbedder.open(colourFile, Device.CPU, AppConfig.Preprocessing.IMAGENET,
                Threading.THROUGHPUT)) {
            assertEquals(cores, bulk.parallelRuns());
            bulk.embed(images);
            assertEquals(new RunCount(0, 1), bulk.runCount(), "THROUGHPUT: every run on one core");
            assertEquals(colour.modelHash(), bulk.modelHash(), "threading is not part of the vectors' identity");
            List<float[]> expected = colour.embed(images);
            List<float[]> got = bulk.embed(images);
            for (int i = 0; i < images.size(); i++) {
                assertArrayEquals(expected.get(i), got.get(i), 1e-5f);
            }
        }
    }

    @Test
    void oneEmbedderServesManyThreadsWithWideAndNarrowRuns() throws Exception {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            images.add(TestImages.gradient(80 + i * 7, 60 + i * 5, i));
        }
        List<float[]> expected = colour.embed(images);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (BufferedImage img : images) {
                    futures.add(pool.submit(() -> colour.embed(img)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(expected.get(i % images.size()), futures.get(i).get(), 1e-6f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingCorruptAndTruncatedModelsAreClearErrors() throws Exception {
        Path missing = DIR.resolve("no-such-model.onnx");
        ModelException e = assertThrows(ModelException.class, () -> OnnxEmbedder.open(missing, Device.CPU));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());

        byte[] garbage = new byte[5000];
        new Random(3).nextBytes(garbage);
        Path corrupt = Files.write(DIR.resolve("garbage.onnx"), garbage);
        e = assertThrows(ModelException.class, () -> OnnxEmbedder.open(corrupt, Device.CPU));
        assertTrue(e.getMessage().contains(corrupt.toAbsolutePath().toString()), e.getMessage());

        byte[] full = Files.readAllBytes(logitsFile);
        Path truncated = Files.write(DIR.resolve("truncated.onnx"), Arrays.copyOf(full, full.length / 2));
        e = assertThrows(ModelException.class, () -> OnnxEmbedder.open(truncated, Device.CPU));
        assertTrue(e.getMessage().contains(truncated.toAbsolutePath().toString()), e.getMessage());

        Path empty = Files.write(DIR.resolve("empty.onnx"), new byte[0]);
        e = assertThrows(ModelException.class, () -> OnnxEmbedder.open(empty, Device.CPU));
        assertTrue(e.getMessage().contains(empty.toAbsolutePath().toString()), e.getMessage());

        e = assertThrows(ModelException.class, () -> OnnxEmbedder.open(DIR, Device.CPU));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void cudaWithoutCudaIsAClearErrorAndAutoFallsBackToCpu() throws Exception {
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime build has CUDA: the no-CUDA behaviour cannot be observed here");
        ModelException e = assertThrows(ModelException.class, () -> OnnxEmbedder.open(colourFile, Device.CUDA));
        assertTrue(e.getMessage().contains("cuda"), e.getMessage());
        assertTrue(e.getMessage().contains(colourFile.toAbsolutePath().toString()), e.getMessage());
        try (OnnxEmbedder auto = OnnxEmbedder.open(colourFile, Device.AUTO)) {
            assertEquals("cpu", auto.device());
            assertArrayEquals(colour.embed(TestImages.gradient(50, 40, 4)), auto.embed(TestImages.gradient(50, 40, 4)),
                    1e-6f);
        }
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }
}
