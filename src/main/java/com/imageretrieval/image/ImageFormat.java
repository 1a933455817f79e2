package com.imageretrieval.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;

/**
 * The five accepted raster formats: the one list of what counts as an image, by content and by file name. Uploads
 * are recognised by their magic bytes (never by file name or content type), each format bound to one ImageIO reader
 * provider; readers are picked from this fixed table, not by probing every registered plugin, so that no SVG, XML or
 * TIFF reader can ever see an upload. Dataset files are picked (scanner) and served (content type) by their
 * extension, from the same table.
 */
public enum ImageFormat {
    JPEG("jpeg", "image/jpeg", "jpg", "jpeg"),
    PNG("png", "image/png", "png"),
    GIF("gif", "image/gif", "gif"),
    BMP("bmp", "image/bmp", "bmp"),
    WEBP("webp", "image/webp", "webp");

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String id;
    private final String mediaType;
    private final Set<String> extensions;
    private volatile ImageReaderSpi provider;

    ImageFormat(String id, String mediaType, String... extensions) {
        this.id = id;
        this.mediaType = mediaType;
        this.extensions = Set.of(extensions);
    }

    /** The HTTP content type of files in this format. */
    public String mediaType() {
        return mediaType;
    }

    /** Lower-case file name extensions of this format, without the dot. */
    public Set<String> extensions() {
        return extensions;
    }

    /**
     * The format a file name announces by its extension, in any case: "daisy/1.JPG" is JPEG. The extension is what
     * follows the last dot of the last path segment; a name that starts with its only dot (".jpg") or ends with a
     * dot has none.
     */
    public static Optional<ImageFormat> ofFileName(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        if (dot <= slash + 1 || dot == name.length() - 1) {
            return Optional.empty();
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        for (ImageFormat f : values()) {
            if (f.extensions.contains(extension)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Lower-case name as reported in {@link DecodedImage#format()}. */
    String id() {
        return id;
    }

    /** The format the leading bytes announce, or null for anything else. */
    static ImageFormat sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return JPEG;
        }
        if (b.length >= 8 && Arrays.equals(b, 0, 8, PNG_MAGIC, 0, 8)) {
            return PNG;
        }
        if (b.length >= 6 && ascii(b, 0, "GIF8") && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return GIF;
        }
        // "BM" plus a plausible header: the DIB header size at offset 14 is one of the sizes Windows defines.
        if (b.length >= 18 && b[0] == 'B' && b[1] == 'M') {
            int dib = (b[14] & 0xFF) | (b[15] & 0xFF) << 8 | (b[16] & 0xFF) << 16 | (b[17] & 0xFF) << 24;
            if (dib == 12 || dib == 16 || dib == 40 || dib == 52 || dib == 56 || dib == 64 || dib == 108 || dib == 124) {
                return BMP;
            }
            return null;
        }
        if (b.length >= 12 && ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return WEBP;
        }
        return null;
    }

    private static boolean ascii(byte[] b, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A new reader (ImageReader instances are not thread-safe: one per decode). */
    ImageReader newReader() throws IOException {
        ImageReaderSpi spi = provider;
        if (spi == null) {
            spi = resolve();
            provider = spi;
        }
        return spi.createReaderInstance();
    }

    private ImageReaderSpi resolve() throws IOException {
        switch (this) {
            case JPEG:
                return twelveMonkeysJpeg();
            case WEBP:
                // Our own dependency, instantiated directly: in an application server the global ImageIO registry
                // may not have scanned the web application's class path.
                return new WebPImageReaderSpi();
            default:
                return jdkProvider(id);
        }
    }

    /** The JDK's own reader for png, gif, bmp and (as the delegate of TwelveMonkeys) jpeg. */
    private static ImageReaderSpi jdkProvider(String format) throws IOException {
        Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (it.hasNext()) {
            ImageReaderSpi spi = it.next();
            if (spi.getClass().getName().startsWith("com.sun.imageio.plugins.")
                    && Arrays.stream(spi.getFormatNames()).anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(format))) {
                return spi;
            }
        }
        throw new IOException("no JDK ImageIO reader for " + format);
    }

    /**
     * TwelveMonkeys' JPEG reader (CMYK/YCCK, broken ICC profiles) wraps the JDK reader. It finds that delegate when it
     * is registered, so it is registered in a private registry holding just the two, leaving the global one alone.
     */
    private static ImageReaderSpi twelveMonkeysJpeg() throws IOException {
        ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        registry.registerServiceProvider(jdkProvider("jpeg"), ImageReaderSpi.class);
        JPEGImageReaderSpi spi = new JPEGImageReaderSpi();
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
        return spi;
    }
}
