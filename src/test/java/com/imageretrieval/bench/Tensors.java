package com.imageretrieval.bench;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Loads the benchmark images and preprocesses them once into model input tensors (3x224x224, CHW). */
final class Tensors {

    private Tensors() {
    }

    static List<Path> images(Path dir, int limit) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> files = s.filter(p -> p.toString().toLowerCase().matches(".*\\.(jpe?g|png)"))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no .jpg/.jpeg/.png images under " + dir);
            }
            return limit > 0 && files.size() > limit ? files.subList(0, limit) : files;
        }
    }

    static List<float[]> load(Path model, Path dir, int limit) throws IOException {
        List<float[]> out = new ArrayList<>();
        for (Path p : images(dir, limit)) {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IOException("cannot decode " + p);
            }
            out.add(preprocess(img));
        }
        return out;
    }

    /** ImageNet eval transform: shorter side 256 (bilinear), centre crop 224, /255, mean/std, CHW. */
    static float[] preprocess(BufferedImage src) {
        double s = 256.0 / Math.min(src.getWidth(), src.getHeight());
        int w = (int) Math.round(src.getWidth() * s);
        int h = (int) Math.round(src.getHeight() * s);
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, w, h, null);
        g.dispose();
        int x0 = (w - 224) / 2;
        int y0 = (h - 224) / 2;
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        float[] t = new float[3 * 224 * 224];
        int plane = 224 * 224;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                int rgb = scaled.getRGB(x0 + x, y0 + y);
                int i = y * 224 + x;
                t[i] = (((rgb >> 16) & 255) / 255f - mean[0]) / std[0];
                t[plane + i] = (((rgb >> 8) & 255) / 255f - mean[1]) / std[1];
                t[2 * plane + i] = ((rgb & 255) / 255f - mean[2]) / std[2];
            }
        }
        return t;
    }
}
