package com.imageretrieval.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Benchmark fixture: writes N JPEG photos-like images (default 500x375, the flower_photos typical size) with varied
 * Java2D content (gradients, shapes, lines, noise) into class folders {@code c0..c4}, so decode cost resembles real
 * photos rather than flat colour. Deterministic for a given seed.
 *
 * <p>Usage: {@code GenerateImages <dir> <count> [width height]}; existing files of the same name are overwritten.
 */
public final class GenerateImages {

    private GenerateImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GenerateImages <dir> <count> [width height]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int w = args.length > 3 ? Integer.parseInt(args[2]) : 500;
        int h = args.length > 3 ? Integer.parseInt(args[3]) : 375;
        for (int i = 0; i < count; i++) {
            Path folder = dir.resolve("c" + (i % 5));
            Files.createDirectories(folder);
            writeJpeg(image(i, w, h), folder.resolve(String.format("img%05d.jpg", i)), 0.9f);
        }
        System.out.println("wrote " + count + " JPEG images of " + w + "x" + h + " under " + dir);
    }

    static BufferedImage image(int index, int w, int h) {
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

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    static void writeJpeg(BufferedImage img, Path file, float quality) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
    }
}
