package com.imageretrieval.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MODEL_PREPROCESSING=clip: CLIP's transform, and the image_embeds output of CLIP vision exports. */
class ClipProfileTest {

    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    @TempDir
    Path dir;

    @Test
    void normalisesWithClipMeanAndStd() {
        BufferedImage grey = TestImages.solid(new Color(128, 64, 200), 300, 200);
        float[] t = ImageNetPreprocessor.clip(224).apply(grey);
        assertEquals(3 * 224 * 224, t.length);
        int[] v = {128, 64, 200};
        for (int c = 0; c < 3; c++) {
            float expected = ((float) v[c] / 255f - MEAN[c]) / STD[c];
            for (int i = c * 224 * 224; i < (c + 1) * 224 * 224; i++) {
                assertEquals(expected, t[i], 0f);
            }
        }
    }

    @Test
    void resizesTheShorterSideTo224NotTo256() {
        // 400x224: CLIP keeps it and crops columns 88..311, so the black band (columns 0..99) shows in columns
        // 0..11 of the crop; ImageNet first scales to 457x256 and crops columns 116.., where no black is left.
        BufferedImage img = TestImages.solid(Color.WHITE, 400, 224);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 100, 224);
        g.dispose();
        float black = (0f - MEAN[0]) / STD[0];
        float[] clip = ImageNetPreprocessor.clip(224).apply(img);
        assertEquals(black, clip[100 * 224 + 5], 1e-6f);
        assertTrue(clip[100 * 224 + 20] > 1.5f);
        float[] imagenet = new ImageNetPreprocessor().apply(img);
        assertTrue(imagenet[100 * 224 + 5] > 1.5f);
    }

    @Test
    void bicubicMatchesPilsAlgorithmInDoublePrecision() {
        BufferedImage img = TestImages.gradient(181, 127, 7);
        ImageNetPreprocessor clip = ImageNetPreprocessor.clip(64);
        float[] t = clip.apply(img);
        int[][] ref = referenceBicubic(img, 64);
        float maxDiff = 0;
        float maxBilinearDiff = 0;
        float[] bilinear = new ImageNetPreprocessor(64, 64).apply(img);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 64 * 64; i++) {
                float expected = ((float) ref[c][i] / 255f - MEAN[c]) / STD[c];
                maxDiff = Math.max(maxDiff, Math.abs(expected - t[c * 64 * 64 + i]));
                float asBilinear = bilinear[c * 64 * 64 + i] * new float[] {0.229f, 0.224f, 0.225f}[c]
                        + new float[] {0.485f, 0.456f, 0.406f}[c];
                maxBilinearDiff = Math.max(maxBilinearDiff, Math.abs(asBilinear - ref[c][i] / 255f));
            }
        }
        // fixed point vs double: at most one 8-bit level per pass
        assertTrue(maxDiff <= 2.01f / 255f / STD[2], "max difference " + maxDiff);
        // and the filter is really not the bilinear one
        assertTrue(maxBilinearDiff > 3f / 255f, "bilinear differs by only " + maxBilinearDiff);
    }

    @Test
    void clipVisionExportsAreReadThroughImageEmbeds() throws Exception {
        Path clipLike = TestModels.clipVisionModel(dir.resolve("vision_model.onnx"));
        Path colour = TestModels.colourModel(dir.resolve("colour.onnx"));
        BufferedImage img = TestImages.gradient(320, 240, 3);
        try (OnnxEmbedder vision = OnnxEmbedder.open(clipLike, AppConfig.Device.CPU, AppConfig.Preprocessing.CLIP);
             OnnxEmbedder plain = OnnxEmbedder.open(colour, AppConfig.Device.CPU, AppConfig.Preprocessing.CLIP);
             OnnxEmbedder imagenet = OnnxEmbedder.open(colour, AppConfig.Device.CPU)) {
            assertEquals("image_embeds", vision.outputName());
            assertEquals(TestModels.colourChannels(), vision.dimension());
            float[] a = vision.embed(img);
            float[] b = plain.embed(img);
            int n = a.length;
            for (int i = 0; i < n; i++) {
                assertEquals(b[n - 1 - i], a[i], 1e-5f); // the projection reverses the pooled features
            }
            // the profile is part of the hash: the same file under another transform is another model
            assertEquals(imagenet.modelHash() + "+clip", plain.modelHash());
            assertEquals(64, imagenet.modelHash().length());
            assertNotEquals(imagenet.embed(img)[0], b[0]);
        }
    }

    /** PIL's ImagingResample (antialiased, BICUBIC a=-0.5) in doubles, then the centre crop: 8-bit RGB planes. */
    private static int[][] referenceBicubic(BufferedImage img, int size) {
        int w = img.getWidth();
        int h = img.getHeight();
        int outW = w <= h ? size : (int) ((double) ((long) size * w) / h);
        int outH = w <= h ? (int) ((double) ((long) size * h) / w) : size;
        int left = (int) Math.rint((outW - size) / 2.0);
        int top = (int) Math.rint((outH - size) / 2.0);
        int[][] out = new int[3][size * size];
        for (int c = 0; c < 3; c++) {
            double[][] src = new double[h][w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    src[y][x] = img.getRGB(x, y) >> (16 - 8 * c) & 0xFF;
                }
            }
            double[][] horiz = new double[h][outW];
            for (int y = 0; y < h; y++) {
                horiz[y] = resample(src[y], outW);
            }
            for (int x = 0; x < size; x++) {
                double[] col = new double[h];
                for (int y = 0; y < h; y++) {
                    col[y] = horiz[y][left + x];
                }
                double[] r = resample(col, outH);
                for (int y = 0; y < size; y++) {
                    out[c][y * size + x] = (int) Math.max(0, Math.min(255, Math.round(r[top + y])));
                }
            }
        }
        return out;
    }

    private static double[] resample(double[] in, int outSize) {
        double scale = (double) in.length / outSize;
        double fs = Math.max(scale, 1.0);
        double support = 2.0 * fs;
        double[] out = new double[outSize];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int lo = Math.max(0, (int) (center - support + 0.5));
            int hi = Math.min(in.length, (int) (center + support + 0.5));
            double sum = 0;
            double ws = 0;
            for (int x = lo; x < hi; x++) {
                double wv = cubic((x - center + 0.5) / fs);
                sum += wv * in[x];
                ws += wv;
            }
            // PIL rounds and clips each pass to 8 bits
            out[i] = Math.max(0, Math.min(255, Math.round(sum / ws)));
        }
        return out;
    }

    private static double cubic(double x) {
        double a = -0.5;
        x = Math.abs(x);
        if (x < 1) {
            return ((a + 2) * x - (a + 3)) * x * x + 1;
        }
        return x < 2 ? (((x - 5) * x + 8) * x - 4) * a : 0;
    }
}
