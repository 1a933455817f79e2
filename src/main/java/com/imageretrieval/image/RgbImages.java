package com.imageretrieval.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;

/** Conversion of whatever a reader returns into opaque 8-bit RGB, transparent areas shown on white. */
final class RgbImages {

    private RgbImages() {
    }

    /** TYPE_INT_RGB and TYPE_3BYTE_BGR come back unchanged; anything else becomes a new TYPE_INT_RGB image. */
    static BufferedImage toRgb(BufferedImage src) {
        int type = src.getType();
        if (type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_3BYTE_BGR) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        if (readsSamplesDirectly(src.getColorModel(), src.getRaster())) {
            fromSamples(src, dst);
        } else {
            fromArgb(src, dst);
        }
        return out;
    }

    /** Packed 0xRRGGBB pixels of an image that {@link #toRgb} produced, row-major without padding. */
    static int[] intPixels(BufferedImage rgb) {
        if (rgb.getType() == BufferedImage.TYPE_INT_RGB && rgb.getRaster().getDataBuffer() instanceof DataBufferInt db
                && db.getOffset() == 0 && rgb.getRaster().getSampleModelTranslateX() == 0
                && rgb.getRaster().getSampleModelTranslateY() == 0
                && db.getSize() == rgb.getWidth() * rgb.getHeight()) {
            return db.getData();
        }
        return rgb.getRGB(0, 0, rgb.getWidth(), rgb.getHeight(), null, 0, rgb.getWidth());
    }

    /**
     * Gray and sRGB component images (8 or 16 bit, with or without straight alpha) are read sample by sample, because
     * Java2D treats the gray colour space as linear and would brighten gray PNGs and JPEGs; the stored values are
     * already display values, which is also how PIL reads them.
     */
    private static boolean readsSamplesDirectly(ColorModel cm, Raster raster) {
        if (!(cm instanceof ComponentColorModel || cm instanceof DirectColorModel) || cm.isAlphaPremultiplied()) {
            return false;
        }
        int dataType = raster.getTransferType();
        if (dataType != DataBuffer.TYPE_BYTE && dataType != DataBuffer.TYPE_USHORT && dataType != DataBuffer.TYPE_INT) {
            return false;
        }
        for (int b = 0; b < cm.getNumComponents(); b++) {
            if (cm.getComponentSize(b) > 16) {
                return false;
            }
        }
        ColorSpace cs = cm.getColorSpace();
        int colours = cm.getNumColorComponents();
        return raster.getNumBands() == cm.getNumComponents()
                && ((cs.getType() == ColorSpace.TYPE_GRAY && colours == 1) || (cs.isCS_sRGB() && colours == 3));
    }

    private static void fromSamples(BufferedImage src, int[] dst) {
        ColorModel cm = src.getColorModel();
        Raster raster = src.getRaster();
        int w = src.getWidth();
        int h = src.getHeight();
        int bands = raster.getNumBands();
        boolean gray = cm.getNumColorComponents() == 1;
        int alphaBand = cm.hasAlpha() ? cm.getNumColorComponents() : -1;
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << cm.getComponentSize(b)) - 1;
        }
        int[] row = new int[w * bands];
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        for (int y = 0; y < h; y++) {
            raster.getPixels(x0, y0 + y, w, 1, row);
            int at = y * w;
            for (int x = 0, s = 0; x < w; x++, s += bands) {
                int r = to8(row[s], max[0]);
                int g = gray ? r : to8(row[s + 1], max[1]);
                int b = gray ? r : to8(row[s + 2], max[2]);
                if (alphaBand >= 0) {
                    int a = row[s + alphaBand];
                    int am = max[alphaBand];
                    r = onWhite(r, a, am);
                    g = onWhite(g, a, am);
                    b = onWhite(b, a, am);
                }
                dst[at + x] = r << 16 | g << 8 | b;
            }
        }
    }

    /** Everything else (palettes, CMYK, other colour spaces): Java2D's conversion to sRGB ARGB, then on white. */
    private static void fromArgb(BufferedImage src, int[] dst) {
        int w = src.getWidth();
        int h = src.getHeight();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            src.getRGB(0, y, w, 1, row, 0, w);
            int at = y * w;
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int a = p >>> 24;
                if (a == 255) {
                    dst[at + x] = p & 0xFFFFFF;
                } else {
                    dst[at + x] = onWhite(p >> 16 & 0xFF, a, 255) << 16 | onWhite(p >> 8 & 0xFF, a, 255) << 8
                            | onWhite(p & 0xFF, a, 255);
                }
            }
        }
    }

    private static int to8(int v, int max) {
        return max == 255 ? v : (int) ((v * 255L + max / 2) / max);
    }

    /** Straight-alpha composite over white, rounded: c*a + 255*(1-a). */
    private static int onWhite(int c, int a, int maxA) {
        return (int) ((c * (long) a + 255L * (maxA - a) + maxA / 2) / maxA);
    }
}
