package com.imageretrieval.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one table of image file names: what the scanner indexes and what the dataset servlet serves. */
class ImageFormatTest {

    @Test
    void fileNamesMapToFormatsInAnyCase() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.ofFileName("daisy/1.jpg"));
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.ofFileName("a.JPEG"));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.ofFileName("x/y/z.Png"));
        assertEquals(Optional.of(ImageFormat.GIF), ImageFormat.ofFileName("g.gif"));
        assertEquals(Optional.of(ImageFormat.BMP), ImageFormat.ofFileName("b.bmp"));
        assertEquals(Optional.of(ImageFormat.WEBP), ImageFormat.ofFileName("w.webp"));
        assertEquals("image/jpeg", ImageFormat.JPEG.mediaType());
        assertEquals("image/webp", ImageFormat.WEBP.mediaType());
    }

    @Test
    void namesWithoutAnImageExtensionAreNone() {
        for (String name : new String[] {"a.tiff", "a.svg", "readme", ".jpg", "dir/.jpg", "a.", "dir.jpg/file", ""}) {
            assertEquals(Optional.empty(), ImageFormat.ofFileName(name), name);
        }
    }
}
