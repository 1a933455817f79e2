package com.imageretrieval.features;

import com.imageretrieval.config.AppConfig;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.Arrays;

/**
 * torchvision's ImageNet evaluation transform on a PIL image, reproduced to the last bit:
 * {@code Resize(256)} (shorter side to 256, longer side {@code int(256 * long / short)}, PIL's antialiased BILINEAR),
 * {@code CenterCrop(224)} (offsets {@code int(round((size - 224) / 2))}, Python's round-half-even),
 * {@code ToTensor()} (/255 in float32) and {@code Normalize(mean, std)} (float32), giving CHW floats.
 *
 * <p>PIL resamples in two separable passes, horizontal then vertical, each rounding to 8 bits with 22-bit fixed-point
 * weights from a triangle filter whose support grows with the reduction factor. The same integer arithmetic is done
 * here, but only for the resized pixels the crop keeps: the weights of the 224 surviving columns and rows are
 * computed once per image, the horizontal pass runs on just the input rows the vertical pass reads.
 *
 * <p>The same pipeline, with PIL's BICUBIC filter (support 2, a = -0.5) and CLIP's mean and std, is CLIP's image
 * transform ({@code Resize(224, BICUBIC)}, {@code CenterCrop(224)}, {@code Normalize}): see {@link #clip(int)} and
 * {@link #of(AppConfig.Preprocessing, int)}, the one place that maps MODEL_PREPROCESSING to a transform.
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageNetPreprocessor {

    public static final int DEFAULT_RESIZE = 256;
    public static final int DEFAULT_CROP = 224;

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};
    /** OpenAI CLIP's normalisation (also in every Hugging Face CLIPImageProcessor config). */
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    /** PIL's fixed-point precision for 8-bit resampling: 32 bits minus 8 for the value and 2 for overflow. */
    private static final int PRECISION_BITS = 22;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    private final int resize;
    private final int crop;
    private final boolean bicubic;
    /** Normalised value of each 8-bit sample per channel, computed with the same float32 operations as torch. */
    private final float[][] lut;

    /** Resize(256), CenterCrop(224). */
    public ImageNetPreprocessor() {
        this(DEFAULT_RESIZE, DEFAULT_CROP);
    }

    public ImageNetPreprocessor(int resize, int crop) {
        this(resize, crop, false, MEAN, STD);
    }

    private ImageNetPreprocessor(int resize, int crop, boolean bicubic, float[] mean, float[] std) {
        if (crop < 1 || resize < crop) {
            throw new IllegalArgumentException("need 1 <= crop <= resize, got resize " + resize + ", crop " + crop);
        }
        this.resize = resize;
        this.crop = crop;
        this.bicubic = bicubic;
        this.lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                float x = (float) v / 255f;
                lut[c][v] = (x - mean[c]) / std[c];
            }
        }
    }

    /** CLIP: shorter side to {@code size} (PIL BICUBIC, antialiased), centre crop {@code size}, CLIP mean/std. */
    public static ImageNetPreprocessor clip(int size) {
        return new ImageNetPreprocessor(size, size, true, CLIP_MEAN, CLIP_STD);
    }

    /**
     * The transform of a profile for a model input of {@code size} x {@code size}: ImageNet keeps torchvision's
     * 256/224 ratio between resize and crop, CLIP resizes straight to the crop size.
     */
    public static ImageNetPreprocessor of(AppConfig.Preprocessing profile, int size) {
        if (profile == AppConfig.Preprocessing.CLIP) {
            return clip(size);
        }
        int resize = size == DEFAULT_CROP ? DEFAULT_RESIZE : (int) Math.round(size * 256.0 / 224.0);
        return new ImageNetPreprocessor(resize, size);
    }

    public int resize() {
        return resize;
    }

    public int crop() {
        return crop;
    }

    /** Floats per image: 3 x crop x crop. */
    public int tensorLength() {
        return 3 * crop * crop;
    }

    /** The normalised CHW tensor of one image. Alpha, if any, is ignored (as PIL's convert("RGB") does). */
    public float[] apply(BufferedImage image) {
        float[] out = new float[tensorLength()];
        apply(image, out, 0);
        return out;
    }

    /** Writes the tensor into {@code out} starting at {@code offset}. */
    public void apply(BufferedImage image, float[] out, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        // torchvision: short side to `resize`, long side int(resize * long / short) (true division, truncated).
        int outW;
        int outH;
        if (w <= h) {
            outW = resize;
            outH = (int) ((double) ((long) resize * h) / w);
        } else {
            outH = resize;
            outW = (int) ((double) ((long) resize * w) / h);
        }
        int left = (int) Math.rint((outW - crop) / 2.0);
        int top = (int) Math.rint((outH - crop) / 2.0);

        Axis cols = new Axis(w, outW, left, crop, bicubic);
        Axis rows = new Axis(h, outH, top, crop, bicubic);
        int firstRow = rows.first();
        int nRows = rows.end() - firstRow;
        int firstCol = cols.first();
        int span = cols.end() - firstCol;

        // Horizontal pass on the input rows the vertical pass needs, for the kept columns only.
        int[][] scratch = scratch(nRows * crop, span, crop);
        int[] tr = scratch[0];
        int[] tg = scratch[1];
        int[] tb = scratch[2];
        int[] r = scratch[3];
        int[] g = scratch[4];
        int[] b = scratch[5];
        RowReader reader = RowReader.of(image);
        int ks = cols.ksize;
        for (int row = 0; row < nRows; row++) {
            reader.read(firstRow + row, firstCol, span, r, g, b);
            int at = row * crop;
            for (int c = 0; c < crop; c++) {
                int x0 = cols.start[c] - firstCol;
                int n = cols.count[c];
                int k = c * ks;
                int sr = HALF;
                int sg = HALF;
                int sb = HALF;
                for (int t = 0; t < n; t++) {
                    int wt = cols.weight[k + t];
                    sr += r[x0 + t] * wt;
                    sg += g[x0 + t] * wt;
                    sb += b[x0 + t] * wt;
                }
                tr[at + c] = clip8(sr);
                tg[at + c] = clip8(sg);
                tb[at + c] = clip8(sb);
            }
        }

        // Vertical pass, then ToTensor + Normalize through the lookup table.
        int plane = crop * crop;
        int[] ar = scratch[6];
        int[] ag = scratch[7];
        int[] ab = scratch[8];
        float[] lr = lut[0];
        float[] lg = lut[1];
        float[] lb = lut[2];
        ks = rows.ksize;
        for (int i = 0; i < crop; i++) {
            Arrays.fill(ar, HALF);
            Arrays.fill(ag, HALF);
            Arrays.fill(ab, HALF);
            int y0 = rows.start[i] - firstRow;
            int n = rows.count[i];
            for (int t = 0; t < n; t++) {
                int wt = rows.weight[i * ks + t];
                int at = (y0 + t) * crop;
                for (int c = 0; c < crop; c++) {
                    ar[c] += tr[at + c] * wt;
                    ag[c] += tg[at + c] * wt;
                    ab[c] += tb[at + c] * wt;
                }
            }
            int o = offset + i * crop;
            for (int c = 0; c < crop; c++) {
                out[o + c] = lr[clip8(ar[c])];
                out[o + plane + c] = lg[clip8(ag[c])];
                out[o + 2 * plane + c] = lb[clip8(ab[c])];
            }
        }
    }

    /**
     * Per-thread work arrays (about 1 MB for a photo): allocating and zeroing them for every image cost a tenth of
     * the transform's time. Every element read is written first in the same call, so no clearing is needed. The value
     * is a plain int[][] so that a server's pooled threads hold no class of this application after an undeploy.
     * Order: tr, tg, tb (horizontal pass), r, g, b (one input row), ar, ag, ab (vertical accumulators).
     */
    private static final ThreadLocal<int[][]> SCRATCH = ThreadLocal.withInitial(() -> new int[9][0]);

    private static int[][] scratch(int temp, int span, int crop) {
        int[][] s = SCRATCH.get();
        int[] sizes = {temp, temp, temp, span, span, span, crop, crop, crop};
        for (int i = 0; i < 9; i++) {
            if (s[i].length < sizes[i]) {
                s[i] = new int[sizes[i]];
            }
        }
        return s;
    }

    /** PIL's clip8: the fixed-point sum back to 0..255. */
    private static int clip8(int v) {
        int x = v >> PRECISION_BITS;
        return x < 0 ? 0 : Math.min(x, 255);
    }

    private static double bilinear(double x) {
        if (x < 0.0) {
            x = -x;
        }
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /** PIL's bicubic_filter (a = -0.5). */
    private static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) {
            x = -x;
        }
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /**
     * PIL's precompute_coeffs + normalize_coeffs_8bpc for the output positions first..first+n-1 of an axis resized
     * from inSize to outSize: per output position the first input index, the number of taps and the weights.
     */
    private static final class Axis {
        final int[] start;
        final int[] count;
        final int[] weight;
        final int ksize;

        Axis(int inSize, int outSize, int first, int n, boolean bicubic) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = (bicubic ? 2.0 : 1.0) * filterScale; // BILINEAR support 1, BICUBIC 2
            ksize = (int) Math.ceil(support) * 2 + 1;
            start = new int[n];
            count = new int[n];
            weight = new int[n * ksize];
            double[] k = new double[ksize];
            double ss = 1.0 / filterScale;
            for (int i = 0; i < n; i++) {
                int xx = first + i;
                double center = (xx + 0.5) * scale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) {
                    xmin = 0;
                }
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) {
                    xmax = inSize;
                }
                xmax -= xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double at = (x + xmin - center + 0.5) * ss;
                    double wv = bicubic ? bicubic(at) : bilinear(at);
                    k[x] = wv;
                    ww += wv;
                }
                for (int x = 0; x < xmax; x++) {
                    double kv = ww != 0.0 ? k[x] / ww : k[x];
                    weight[i * ksize + x] = kv < 0 ? (int) (-0.5 + kv * (1 << PRECISION_BITS))
                            : (int) (0.5 + kv * (1 << PRECISION_BITS));
                }
                start[i] = xmin;
                count[i] = xmax;
            }
        }

        int first() {
            return start[0];
        }

        int end() {
            int last = start.length - 1;
            return start[last] + count[last];
        }
    }

    /** Reads a run of one row as 8-bit R, G, B planes, straight from the raster's array where the layout allows. */
    private abstract static class RowReader {
        abstract void read(int y, int x0, int n, int[] r, int[] g, int[] b);

        static RowReader of(BufferedImage img) {
            Raster raster = img.getRaster();
            boolean rgbSpace = !(img.getColorModel() instanceof IndexColorModel)
                    && img.getColorModel().getColorSpace().isCS_sRGB();
            int tx = raster.getSampleModelTranslateX();
            int ty = raster.getSampleModelTranslateY();
            if (rgbSpace && raster.getDataBuffer() instanceof DataBufferInt db
                    && raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm
                    && sm.getNumBands() >= 3 && sm.getBitMasks()[0] == 0xFF0000 && sm.getBitMasks()[1] == 0xFF00
                    && sm.getBitMasks()[2] == 0xFF && db.getNumBanks() == 1) {
                int[] data = db.getData();
                int base = db.getOffset();
                int stride = sm.getScanlineStride();
                return new RowReader() {
                    @Override
                    void read(int y, int x0, int n, int[] r, int[] g, int[] b) {
                        int at = base + (y - ty) * stride + (x0 - tx);
                        for (int i = 0; i < n; i++) {
                            int p = data[at + i];
                            r[i] = p >> 16 & 0xFF;
                            g[i] = p >> 8 & 0xFF;
                            b[i] = p & 0xFF;
                        }
                    }
                };
            }
            if (rgbSpace && raster.getDataBuffer() instanceof DataBufferByte db
                    && raster.getSampleModel() instanceof ComponentSampleModel sm && sm.getNumBands() >= 3
                    && db.getNumBanks() == 1 && sameBank(sm.getBankIndices())
                    && img.getColorModel().getComponentSize(0) == 8) {
                byte[] data = db.getData();
                int base = db.getOffset();
                int stride = sm.getScanlineStride();
                int ps = sm.getPixelStride();
                int[] bo = sm.getBandOffsets();
                int or = bo[0];
                int og = bo[1];
                int ob = bo[2];
                return new RowReader() {
                    @Override
                    void read(int y, int x0, int n, int[] r, int[] g, int[] b) {
                        int at = base + (y - ty) * stride + (x0 - tx) * ps;
                        for (int i = 0; i < n; i++, at += ps) {
                            r[i] = data[at + or] & 0xFF;
                            g[i] = data[at + og] & 0xFF;
                            b[i] = data[at + ob] & 0xFF;
                        }
                    }
                };
            }
            // Anything else (gray, palette, 16-bit, other colour spaces): Java2D's sRGB conversion.
            return new RowReader() {
                @Override
                void read(int y, int x0, int n, int[] r, int[] g, int[] b) {
                    int[] argb = img.getRGB(x0, y, n, 1, null, 0, n);
                    for (int i = 0; i < n; i++) {
                        int p = argb[i];
                        r[i] = p >> 16 & 0xFF;
                        g[i] = p >> 8 & 0xFF;
                        b[i] = p & 0xFF;
                    }
                }
            };
        }

        private static boolean sameBank(int[] banks) {
            for (int bank : banks) {
                if (bank != banks[0]) {
                    return false;
                }
            }
            return true;
        }
    }
}
