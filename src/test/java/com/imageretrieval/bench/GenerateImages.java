package com.imageretrieval.bench;

import com.imageretrieval.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark fixture: writes N JPEG photo-like images ({@link TestImages#photoLike}) (default 500x375, the flower_photos typical size) with varied
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
            Files.write(folder.resolve(String.format("img%05d.jpg", i)), TestImages.jpeg(TestImages.photoLike(i, w, h), 0.9f));
        }
        System.out.println("wrote " + count + " JPEG images of " + w + "x" + h + " under " + dir);
    }
}
