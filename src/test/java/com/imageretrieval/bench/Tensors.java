package com.imageretrieval.bench;

import com.imageretrieval.features.ImageNetPreprocessor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Loads the benchmark images and preprocesses them once, with the product's preprocessor, into model inputs. */
final class Tensors {

    private static final ImageNetPreprocessor PREPROCESSOR = new ImageNetPreprocessor();

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

    /** The product's preprocessing (ImageNet eval transform, 3x224x224 CHW), as the embedder applies it. */
    static float[] preprocess(BufferedImage src) {
        return PREPROCESSOR.apply(src);
    }
}
