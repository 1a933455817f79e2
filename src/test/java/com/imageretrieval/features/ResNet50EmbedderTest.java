package com.imageretrieval.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig.Device;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real ResNet-50 topology (random weights): shapes, the exposed pool layer, batching, and a speed print-out. */
class ResNet50EmbedderTest {

    private static OnnxEmbedder embedder;

    @BeforeAll
    static void model() throws Exception {
        long t0 = System.nanoTime();
        Path file = TestModels.resnet50Random(Path.of("target", "test-models", "resnet50-random.onnx"), 7L);
        long t1 = System.nanoTime();
        embedder = OnnxEmbedder.open(file, Device.CPU);
        System.out.printf("ResNet-50 (random): generated in %d ms, opened in %d ms: %s%n", (t1 - t0) / 1_000_000,
                (System.nanoTime() - t1) / 1_000_000, embedder);
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void logitsModelGivesThe2048PoolFeaturesAsUnitVectors() {
        assertEquals(2048, embedder.dimension());
        assertEquals(TestModels.RESNET_INPUT, embedder.inputName());
        assertEquals("flatten0_out", embedder.outputName(), "the Flatten after the last GlobalAveragePool");
        float[] v = embedder.embed(TestImages.gradient(500, 375, 1));
        assertEquals(2048, v.length);
        assertEquals(1.0, OnnxEmbedderTest.norm(v), 1e-5);
        for (float x : v) {
            assertTrue(Float.isFinite(x) && x >= 0, "pooled ReLU features are finite and non-negative");
        }
    }

    @Test
    void batchOfFourEqualsFourSingleCalls() {
        List<BufferedImage> images = List.of(TestImages.gradient(500, 375, 1), TestImages.gradient(375, 500, 2),
                TestImages.gradient(320, 320, 3), TestImages.gradient(640, 480, 4));
        List<float[]> tensors = new ArrayList<>();
        for (BufferedImage img : images) {
            tensors.add(embedder.preprocess(img));
        }
        float[][] batch = embedder.embedPreprocessed(tensors);
        assertEquals(4, batch.length);
        for (int i = 0; i < 4; i++) {
            float[] single = embedder.embedPreprocessed(List.of(tensors.get(i)))[0];
            assertArrayEquals(single, batch[i], 1e-4f, "image " + i);
        }
    }

    /** Throughput for the report (2 shared cores here: not asserted). */
    @Test
    void printsImagesPerSecond() {
        float[] tensor = embedder.preprocess(TestImages.gradient(500, 375, 9));
        embedder.embedPreprocessed(List.of(tensor)); // warm-up
        for (int batch : new int[] {1, 8}) {
            List<float[]> tensors = Collections.nCopies(batch, tensor);
            int rounds = batch == 1 ? 4 : 1;
            long t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                assertEquals(batch, embedder.embedPreprocessed(tensors).length);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ResNet-50 on %s, batch %d: %.1f images/s (%d threads)%n", embedder.device(), batch,
                    batch * rounds / seconds, Runtime.getRuntime().availableProcessors());
        }
    }
}
