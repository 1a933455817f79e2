package com.imageretrieval.it;

import com.imageretrieval.testing.TestImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Generates the test collection: 5 labelled colour folders of 10 JPEG photos-sized images each. Within a folder the
 * hue, brightness and the shapes drawn on top vary, so no two images have the same features and the query image
 * itself must come first.
 */
final class ItDataset {

    static final Map<String, Float> HUES = new LinkedHashMap<>();
    static final int PER_CLASS = 10;
    /** Photo-sized, so that the first build takes long enough for health to be seen saying "building". */
    static final int WIDTH = 1024;
    static final int HEIGHT = 768;

    static {
        HUES.put("blue", 0.62f);
        HUES.put("green", 0.33f);
        HUES.put("purple", 0.80f);
        HUES.put("red", 0.0f);
        HUES.put("yellow", 0.15f);
    }

    private ItDataset() {
    }

    static int total() {
        return HUES.size() * PER_CLASS;
    }

    static void generate(Path root, long seed) throws IOException {
        Random random = new Random(seed);
        for (Map.Entry<String, Float> e : HUES.entrySet()) {
            Path dir = Files.createDirectories(root.resolve(e.getKey()));
            for (int i = 0; i < PER_CLASS; i++) {
                float hue = e.getValue() + (random.nextFloat() - 0.5f) * 0.06f;
                BufferedImage img = TestImages.shapes(random, WIDTH, HEIGHT, hue, 0.55f + random.nextFloat() * 0.4f,
                        0.5f + random.nextFloat() * 0.5f);
                ImageIO.write(img, "jpg", dir.resolve(String.format("%s-%02d.jpg", e.getKey(), i)).toFile());
            }
        }
    }

    /** Moves each generated class folder into the dataset (one rename per folder, so no half-written file shows). */
    static void publish(Path staging, Path dataset) throws IOException {
        for (String label : HUES.keySet()) {
            Files.move(staging.resolve(label), dataset.resolve(label));
        }
    }

    /** A colour none of the folders has, for the image the timer must pick up. */
    static BufferedImage cyanPicture(long seed) {
        return TestImages.shapes(new Random(seed), WIDTH, HEIGHT, 0.5f, 0.9f, 0.9f);
    }
}
