package com.imageretrieval.index;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Java2D images written into dataset folders for the index and engine tests. */
public final class TestDatasets {

    private TestDatasets() {
    }

    /** A colour field with a little noise and a darker square, so files of one colour differ in content. */
    public static BufferedImage image(Color base, long seed, int w, int h) {
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

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Writes {@code img} as PNG or JPEG (by the file extension), creating folders. */
    public static Path write(Path file, BufferedImage img) {
        try {
            Files.createDirectories(file.getParent());
            String name = file.getFileName().toString().toLowerCase();
            String format = name.endsWith(".png") ? "png" : "jpg";
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IOException("no ImageIO writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A labelled dataset: {@code perClass} images in each of red/, green/, blue/ (alternating JPEG and PNG).
     *
     * @return the dataset root
     */
    public static Path colours(Path root, int perClass) {
        Color[] colours = {new Color(200, 30, 30), new Color(30, 180, 40), new Color(30, 40, 200)};
        String[] names = {"red", "green", "blue"};
        for (int c = 0; c < colours.length; c++) {
            for (int i = 0; i < perClass; i++) {
                String ext = i % 2 == 0 ? "jpg" : "png";
                write(root.resolve(names[c]).resolve(String.format("%s_%03d.%s", names[c], i, ext)),
                        image(colours[c], c * 1000L + i, 64, 48));
            }
        }
        return root;
    }
}
