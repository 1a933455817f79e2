package com.imageretrieval.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.math.RoundingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageNetPreprocessorTest {

    private final ImageNetPreprocessor pre = new ImageNetPreprocessor();

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({
        "500, 375", // the flower photos' usual size: 341x256 then crop
        "375, 500", // portrait
        "320, 240",
        "641, 427", // odd sizes: crop offsets on .5 (banker's rounding)
        "300, 300", // square
        "256, 300", // width already 256: PIL skips the horizontal pass
        "200, 150", // upscaling
        "224, 224",
        "1000, 251",
        "257, 1200"
    })
    void matchesTheStraightforwardReference(int w, int h) {
        BufferedImage img = TestImages.gradient(w, h, 42L + w * 31L + h);
        float[] expected = Reference.transform(img);
        float[] actual = pre.apply(img);
        assertEquals(3 * 224 * 224, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-4f) {
                int c = i / (224 * 224);
                int y = i % (224 * 224) / 224;
                int x = i % 224;
                throw new AssertionError("differs at channel " + c + " y " + y + " x " + x + ": expected "
                        + expected[i] + " got " + actual[i]);
            }
        }
    }

    /**
     * Golden values from the real thing: SHA-256 of the uint8 HWC array {@code np.asarray(T.Compose([T.Resize(256),
     * T.CenterCrop(224)])(img))} computed with Pillow 12.3.0 and torchvision 0.26.0 for {@link #formulaImage} (the same
     * formula written with numpy). The tensor is turned back into those 8-bit values and hashed the same way.
     */
    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({
        "500, 375, e94401b285a055536d5e127c0184c6299a4971f09c08fd4c3a591bc07ac65707",
        "375, 500, fc63454a5d3bd2c2716d66e7092b51c22e13e2849e134485fc6704b0945c441f",
        "641, 427, ba29e0d936be2577314dcc0285bba80d272dcc016cec4681bac47beccdc40bfa",
        "200, 150, dec7eb12770febaa27068d41736a1250d6dfb8d8894291ad6bfd34ad7c02d17f",
        "1000, 251, fe49439c4f9452130caa8cf521ad1d1d1a04489571001d022ccf05fde43d311d",
        "2048, 1536, cea27b4db58642f9ebd6673b9e5427c4281f9ed777dab9d794e22c61cd96f1ff"
    })
    void matchesPillowAndTorchvision(int w, int h, String sha256) throws Exception {
        float[] t = pre.apply(formulaImage(w, h));
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        byte[] hwc = new byte[224 * 224 * 3];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = ((double) t[c * 224 * 224 + y * 224 + x] * std[c] + mean[c]) * 255;
                    hwc[(y * 224 + x) * 3 + c] = (byte) Math.round(v);
                }
            }
        }
        String actual = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(hwc));
        assertEquals(sha256, actual);
    }

    /** Ramps plus modular "noise", integer-only so that numpy computes exactly the same pixels. */
    static BufferedImage formulaImage(int w, int h) {
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                long lx = x;
                long ly = y;
                long r = lx * 255 / Math.max(1, w - 1) + Math.floorMod(lx * ly * 7919 + 13, 41) - 20;
                long g = ly * 255 / Math.max(1, h - 1) + Math.floorMod(lx * 31 + ly * 17, 37) - 18;
                long b = (lx + ly) * 255 / Math.max(1, w + h - 2) + Math.floorMod(lx * lx + 3 * ly * ly, 29) - 14;
                rgb[y * w + x] = (int) (clamp(r) << 16 | clamp(g) << 8 | clamp(b));
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        return img;
    }

    private static long clamp(long v) {
        return Math.max(0, Math.min(255, v));
    }

    @Test
    void pixelLayoutDoesNotMatter() {
        BufferedImage rgb = TestImages.gradient(333, 250, 9);
        float[] expected = pre.apply(rgb);
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_BGR}) {
            BufferedImage copy = new BufferedImage(333, 250, type);
            copy.setRGB(0, 0, 333, 250, rgb.getRGB(0, 0, 333, 250, null, 0, 333), 0, 333);
            assertArrayEquals(expected, pre.apply(copy), "image type " + type);
        }
        // A sub-image shares the parent's array with an offset.
        BufferedImage parent = new BufferedImage(400, 300, BufferedImage.TYPE_3BYTE_BGR);
        parent.setRGB(17, 23, 333, 250, rgb.getRGB(0, 0, 333, 250, null, 0, 333), 0, 333);
        assertArrayEquals(expected, pre.apply(parent.getSubimage(17, 23, 333, 250)));
    }

    @Test
    void solidColourGivesTheNormalisedValueEverywhere() {
        float[] t = pre.apply(TestImages.solid(new Color(255, 128, 0), 500, 375));
        float[] want = {(1f - 0.485f) / 0.229f, (128f / 255f - 0.456f) / 0.224f, (0f - 0.406f) / 0.225f};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 224 * 224; i++) {
                assertEquals(want[c], t[c * 224 * 224 + i], 1e-6f);
            }
        }
    }

    @Test
    void image256SquareIsOnlyCropped() {
        // No resampling at all: the tensor is the centre 224x224 pixels (offset 16), normalised.
        BufferedImage img = TestImages.gradient(256, 256, 5);
        float[] t = pre.apply(img);
        for (int y = 0; y < 224; y += 7) {
            for (int x = 0; x < 224; x += 5) {
                int p = img.getRGB(x + 16, y + 16);
                assertEquals(((p >> 16 & 0xFF) / 255f - 0.485f) / 0.229f, t[y * 224 + x], 1e-6f);
                assertEquals(((p >> 8 & 0xFF) / 255f - 0.456f) / 0.224f, t[224 * 224 + y * 224 + x], 1e-6f);
                assertEquals(((p & 0xFF) / 255f - 0.406f) / 0.225f, t[2 * 224 * 224 + y * 224 + x], 1e-6f);
            }
        }
    }

    @Test
    void threadsDoNotShareWorkArrays() throws Exception {
        List<BufferedImage> images = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BufferedImage img = TestImages.gradient(200 + 37 * i, 300 - 23 * i, i);
            images.add(img);
            expected.add(Reference.transform(img));
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (BufferedImage img : images) {
                    results.add(pool.submit(() -> pre.apply(img)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % images.size()), results.get(i).get(), 1e-6f);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void writesAtAnOffset() {
        BufferedImage img = TestImages.gradient(120, 90, 1);
        float[] buffer = new float[2 * pre.tensorLength() + 5];
        pre.apply(img, buffer, pre.tensorLength() + 5);
        float[] alone = pre.apply(img);
        for (int i = 0; i < alone.length; i++) {
            assertEquals(alone[i], buffer[pre.tensorLength() + 5 + i]);
        }
        assertEquals(0f, buffer[pre.tensorLength() + 4]);
    }

    /** Prints the speed on a 500x375 photo-sized image; a measurement for the report, not a pass/fail criterion. */
    @Test
    void printsTimePerImage() {
        BufferedImage img = TestImages.gradient(500, 375, 77);
        BufferedImage bgr = new BufferedImage(500, 375, BufferedImage.TYPE_3BYTE_BGR);
        bgr.createGraphics().drawImage(img, 0, 0, null);
        float[] out = new float[pre.tensorLength()];
        for (int i = 0; i < 200; i++) {
            pre.apply(i % 2 == 0 ? img : bgr, out, 0);
        }
        for (BufferedImage im : new BufferedImage[] {img, bgr}) {
            int n = 200;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                pre.apply(im, out, 0);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / n;
            double cpuMs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e6 / n;
            // Wall time includes waiting for a core on a shared machine; thread CPU time is the work itself.
            System.out.printf("ImageNetPreprocessor 500x375 type %d: %.3f ms/image wall, %.3f ms thread CPU%n",
                    im.getType(), ms, cpuMs);
            assertTrue(ms > 0);
        }
    }

    /**
     * The transform written out directly from its definition, sharing no code with the class under test: resize the
     * whole image (PIL bilinear, horizontal then vertical pass, 8-bit rounding after each, 22-bit fixed-point weights
     * that are computed afresh for every output pixel), then crop, then normalise.
     */
    static final class Reference {
        static float[] transform(BufferedImage img) {
            int w = img.getWidth();
            int h = img.getHeight();
            int[][][] px = new int[h][w][3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = img.getRGB(x, y);
                    px[y][x] = new int[] {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF};
                }
            }
            int nw;
            int nh;
            if (w <= h) {
                nw = 256;
                nh = new BigDecimal(256L * h).divide(new BigDecimal(w), 0, RoundingMode.FLOOR).intValue();
            } else {
                nh = 256;
                nw = new BigDecimal(256L * w).divide(new BigDecimal(h), 0, RoundingMode.FLOOR).intValue();
            }
            int[][][] wide = new int[h][nw][3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < nw; x++) {
                    for (int c = 0; c < 3; c++) {
                        final int yy = y;
                        final int cc = c;
                        wide[y][x][c] = sample(w, nw, x, i -> px[yy][i][cc]);
                    }
                }
            }
            int[][][] out = new int[nh][nw][3];
            for (int y = 0; y < nh; y++) {
                for (int x = 0; x < nw; x++) {
                    for (int c = 0; c < 3; c++) {
                        final int xx = x;
                        final int cc = c;
                        out[y][x][c] = sample(h, nh, y, i -> wide[i][xx][cc]);
                    }
                }
            }
            int top = new BigDecimal(nh - 224).divide(BigDecimal.valueOf(2)).setScale(0, RoundingMode.HALF_EVEN).intValue();
            int left = new BigDecimal(nw - 224).divide(BigDecimal.valueOf(2)).setScale(0, RoundingMode.HALF_EVEN).intValue();
            float[] mean = {0.485f, 0.456f, 0.406f};
            float[] std = {0.229f, 0.224f, 0.225f};
            float[] t = new float[3 * 224 * 224];
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 224; y++) {
                    for (int x = 0; x < 224; x++) {
                        float v = out[top + y][left + x][c] / 255f;
                        t[c * 224 * 224 + y * 224 + x] = (v - mean[c]) / std[c];
                    }
                }
            }
            return t;
        }

        /** One output sample at position o of an axis resized from n to m, PIL BILINEAR. */
        private static int sample(int n, int m, int o, java.util.function.IntUnaryOperator in) {
            if (n == m) {
                return in.applyAsInt(o); // PIL skips the pass: identity
            }
            double scale = (double) n / m;
            double fs = scale < 1 ? 1 : scale;
            double support = fs;
            double center = (o + 0.5) * scale;
            int lo = Math.max(0, (int) (center - support + 0.5));
            int hi = Math.min(n, (int) (center + support + 0.5));
            double[] wts = new double[hi - lo];
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                double d = Math.abs((i - center + 0.5) / fs);
                wts[i - lo] = d < 1 ? 1 - d : 0;
                sum += wts[i - lo];
            }
            long acc = 1 << 21;
            for (int i = lo; i < hi; i++) {
                long fixed = (long) (wts[i - lo] / sum * (1 << 22) + 0.5);
                acc += fixed * in.applyAsInt(i);
            }
            long v = acc >> 22;
            return (int) Math.max(0, Math.min(255, v));
        }
    }
}
