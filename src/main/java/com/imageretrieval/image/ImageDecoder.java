package com.imageretrieval.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes image files and uploads. PLACEHOLDER implementation (plain ImageIO.read): the features work replaces it
 * with header-first size checks, EXIF orientation, alpha on white, CMYK and format sniffing. The signatures stay.
 * Thread-safe.
 */
public final class ImageDecoder {

    private final long maxPixels;

    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    public DecodedImage decode(Path file) throws ImageDecodeException, IOException {
        return decode(Files.readAllBytes(file));
    }

    public DecodedImage decode(byte[] bytes) throws ImageDecodeException {
        if (bytes.length == 0) {
            throw new ImageDecodeException(ImageDecodeException.Kind.EMPTY, "the file is empty");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new ImageDecodeException(ImageDecodeException.Kind.CORRUPT, "cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new ImageDecodeException(ImageDecodeException.Kind.UNSUPPORTED_TYPE, "not a supported image");
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.createGraphics().drawImage(img, 0, 0, java.awt.Color.WHITE, null);
        return new DecodedImage(rgb, rgb.getWidth(), rgb.getHeight(), "unknown");
    }
}
