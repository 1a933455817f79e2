package com.imageretrieval.testing;

import java.awt.Color;
import java.awt.Graphics2D;
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
