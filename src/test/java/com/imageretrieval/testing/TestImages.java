package com.imageretrieval.testing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Java2D-generated test images and their encodings; everything deterministic (fixed seeds). */
public final class TestImages {

    private TestImages() {
    }

    /** One colour everywhere. */
    public static BufferedImage solid(Color colour, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    /**
     * {@code count} images of one hue: each a different saturation/brightness shade with per-pixel noise, so a family
     * is similar but no two members are equal.
     */
    public static List<BufferedImage> colourFamily(float hue, int count, int width, int height, long seed) {
        Random rnd = new Random(seed);
        List<BufferedImage> family = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float sat = 0.65f + 0.35f * rnd.nextFloat();
            float bri = 0.55f + 0.4f * rnd.nextFloat();
            int base = Color.HSBtoRGB(hue, sat, bri);
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    img.setRGB(x, y, jitter(base, rnd, 12));
                }
            }
            family.add(img);
        }
        return family;
    }

    /** Horizontal red ramp, vertical green ramp, diagonal blue, plus seeded noise: every pixel differs. */
    public static BufferedImage gradient(int width, int height, long seed) {
        Random rnd = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = x * 255 / Math.max(1, width - 1);
                int g = y * 255 / Math.max(1, height - 1);
                int b = (x + y) * 255 / Math.max(1, width + height - 2);
                img.setRGB(x, y, jitter(r << 16 | g << 8 | b, rnd, 20));
            }
        }
        return img;
    }

    /** A colour field with a little noise and a darker square, so files of one colour differ in content. */
    public static BufferedImage noisyColour(Color base, long seed, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(base);
        g.fillRect(0, 0, w, h);
        Random rnd = new Random(seed);
        g.setColor(base.darker());
        g.fillRect(rnd.nextInt(w / 2), rnd.nextInt(h / 2), w / 4, h / 4);
        g.dispose();
        for (int i = 0; i < w * h / 20; i++) {
            int x = rnd.nextInt(w);
            int y = rnd.nextInt(h);
            int delta = rnd.nextInt(21) - 10;
            int rgb = img.getRGB(x, y);
            int r = clamp(((rgb >> 16) & 0xff) + delta);
            int gg = clamp(((rgb >> 8) & 0xff) + delta);
            int b = clamp((rgb & 0xff) + delta);
            img.setRGB(x, y, (r << 16) | (gg << 8) | b);
        }
        return img;
    }

    /**
     * A photo-like image for decode-cost measurements: gradient, 25 shapes and lines, fine pixel noise (what makes
     * JPEG decoding cost what it costs for a photo). The hue follows {@code index % 5}; deterministic per index.
     */
    public static BufferedImage photoLike(int index, int w, int h) {
        Random rnd = new Random(1000L + index);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        float hue = (index % 5) / 5f;
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(hue, 0.6f, 0.9f),
                w, h, Color.getHSBColor(hue + 0.3f, 0.8f, 0.3f)));
        g.fillRect(0, 0, w, h);
        for (int s = 0; s < 25; s++) {
            g.setColor(Color.getHSBColor(hue + rnd.nextFloat() * 0.2f, rnd.nextFloat(), rnd.nextFloat()));
            int x = rnd.nextInt(w);
            int y = rnd.nextInt(h);
            int sw = 10 + rnd.nextInt(w / 3);
            int sh = 10 + rnd.nextInt(h / 3);
            if (rnd.nextBoolean()) {
                g.fillOval(x - sw / 2, y - sh / 2, sw, sh);
            } else {
                g.setStroke(new BasicStroke(1 + rnd.nextInt(6)));
                g.drawLine(x, y, rnd.nextInt(w), rnd.nextInt(h));
            }
        }
        g.dispose();
        // Fine-grained noise, as in real photos: it is what makes JPEG decoding cost what it costs.
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int n = rnd.nextInt(21) - 10;
                int r = clamp(((rgb >> 16) & 255) + n);
                int gg = clamp(((rgb >> 8) & 255) + n);
                int b = clamp((rgb & 255) + n);
                img.setRGB(x, y, (r << 16) | (gg << 8) | b);
            }
        }
        return img;
    }

    /**
     * A {@code width x height} field of one colour (hue, saturation, brightness) with 12 ovals and rectangles of
     * nearby hues on top, drawn from {@code random}: pictures of one hue are alike, no two are equal.
     */
    public static BufferedImage shapes(Random random, int width, int height, float hue, float saturation,
            float brightness) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.getHSBColor(hue, saturation, brightness));
        g.fillRect(0, 0, width, height);
        for (int k = 0; k < 12; k++) {
            g.setColor(Color.getHSBColor(hue + (random.nextFloat() - 0.5f) * 0.08f, random.nextFloat(),
                    random.nextFloat()));
            int w = 40 + random.nextInt(width / 3);
            int h = 40 + random.nextInt(height / 3);
            if (random.nextBoolean()) {
                g.fillOval(random.nextInt(width - w), random.nextInt(height - h), w, h);
            } else {
                g.fillRect(random.nextInt(width - w), random.nextInt(height - h), w, h);
            }
        }
        g.dispose();
        return img;
    }

    private static int jitter(int rgb, Random rnd, int amount) {
        int r = clamp((rgb >> 16 & 0xFF) + rnd.nextInt(2 * amount + 1) - amount);
        int g = clamp((rgb >> 8 & 0xFF) + rnd.nextInt(2 * amount + 1) - amount);
        int b = clamp((rgb & 0xFF) + rnd.nextInt(2 * amount + 1) - amount);
        return r << 16 | g << 8 | b;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** JPEG bytes at the given quality (0..1). */
    public static byte[] jpeg(BufferedImage img, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(img, null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes in any format ImageIO writes (png, gif, bmp, jpeg). */
    public static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, bytes)) {
                throw new IllegalArgumentException("no ImageIO writer for " + format + " and image type " + img.getType());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A lossless WebP of one colour, assembled by hand (ImageIO has no WebP writer): a VP8L bitstream whose five
     * prefix codes each hold a single symbol, so every pixel costs zero bits.
     */
    public static byte[] webpSolid(Color colour, int width, int height) {
        LsbBits bits = new LsbBits();
        bits.put(0x2F, 8); // VP8L signature
        bits.put(width - 1, 14);
        bits.put(height - 1, 14);
        bits.put(0, 1); // alpha_is_used
        bits.put(0, 3); // version
        bits.put(0, 1); // no transform
        bits.put(0, 1); // no colour cache
        bits.put(0, 1); // no meta prefix codes
        for (int symbol : new int[] {colour.getGreen(), colour.getRed(), colour.getBlue(), 255}) {
            bits.put(1, 1); // simple code
            bits.put(0, 1); // one symbol
            bits.put(1, 1); // 8-bit symbol
            bits.put(symbol, 8);
        }
        bits.put(1, 1); // distance code: simple, one 1-bit symbol, 0
        bits.put(0, 1);
        bits.put(0, 1);
        bits.put(0, 1);
        byte[] vp8l = bits.bytes(8); // decoders read ahead in 64-bit words: pad with zero bytes
        ByteArrayOutputStream riff = new ByteArrayOutputStream();
        int pad = vp8l.length % 2;
        riff.writeBytes("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        littleEndian(riff, 4 + 8 + vp8l.length + pad);
        riff.writeBytes("WEBPVP8L".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        littleEndian(riff, vp8l.length);
        riff.writeBytes(vp8l);
        if (pad == 1) {
            riff.write(0);
        }
        return riff.toByteArray();
    }

    private static void littleEndian(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
    }

    /** Bits packed least-significant first, as VP8L reads them. */
    private static final class LsbBits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int count;

        void put(long value, int n) {
            acc |= (value & ((1L << n) - 1)) << count;
            count += n;
            while (count >= 8) {
                out.write((int) (acc & 0xFF));
                acc >>>= 8;
                count -= 8;
            }
        }

        byte[] bytes(int zeroPadding) {
            if (count > 0) {
                put(0, 8 - count);
            }
            for (int i = 0; i < zeroPadding; i++) {
                out.write(0);
            }
            return out.toByteArray();
        }
    }

    public static Path writeJpeg(BufferedImage img, Path file) throws IOException {
        return write(jpeg(img, 0.92f), file);
    }

    public static Path writePng(BufferedImage img, Path file) throws IOException {
        return write(encode(img, "png"), file);
    }

    private static Path write(byte[] bytes, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        return Files.write(file, bytes);
    }
}
