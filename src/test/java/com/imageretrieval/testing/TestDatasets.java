package com.imageretrieval.testing;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Labelled dataset folders of generated images ({@link TestImages}) for the index, engine and CLI tests. */
public final class TestDatasets {

    private TestDatasets() {
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
                        TestImages.noisyColour(colours[c], c * 1000L + i, 64, 48));
            }
        }
        return root;
    }
}
