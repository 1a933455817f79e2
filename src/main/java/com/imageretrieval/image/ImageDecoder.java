package com.imageretrieval.image;

import com.imageretrieval.image.ImageDecodeException.Kind;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files and uploads into upright 8-bit RGB.
 *
 * <ul>
 *   <li>The format comes from the magic bytes, never from a name; only jpeg, png, gif, bmp and webp are read, each by a
 *       fixed reader (no SVG, XML or TIFF reader is reachable).</li>
 *   <li>Width and height come from the header first: an image above {@code maxPixels} is refused before its raster is
 *       allocated, so a small file announcing a huge image cannot exhaust memory. {@link HeaderWalk} checks what the
 *       reader's size does not cover: images embedded in other images (BMP with JPEG/PNG inside: refused), every
 *       frame of a WebP or JPEG, and chunk lengths larger than the file.</li>
 *   <li>JPEG EXIF orientation (1..8) is applied; gray, palette, 16-bit, CMYK/YCCK and alpha (shown on white) all come
 *       out as TYPE_INT_RGB or TYPE_3BYTE_BGR; an animated GIF gives its first frame.</li>
 *   <li>Every failure is an {@link ImageDecodeException} with a {@link Kind}; no runtime exception escapes. The input is
 *       in memory, so no read can block.</li>
 * </ul>
 * Thread-safe: each call uses its own reader.
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
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(Kind.EMPTY, "the file is empty");
        }
        ImageFormat format = ImageFormat.sniff(bytes);
        if (format == null) {
            throw new ImageDecodeException(Kind.UNSUPPORTED_TYPE,
                    "not a supported image type (expected JPEG, PNG, GIF, BMP or WebP)");
        }
        // Images inside images and sizes in inner headers: checked before any reader can allocate from them.
        HeaderWalk.check(format, bytes, maxPixels);
        ImageReader reader = null;
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            reader = format.newReader();
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw new ImageDecodeException(Kind.CORRUPT, format.id() + " header gives no size");
            }
            long pixels = (long) width * height;
            if (pixels > maxPixels) {
                throw new ImageDecodeException(Kind.TOO_LARGE, format.id() + " image of " + width + "x" + height + " = "
                        + pixels + " pixels is above the limit of " + maxPixels);
            }
            TruncationWatch watch = new TruncationWatch();
            reader.addIIOReadWarningListener(watch);
            BufferedImage raw = reader.read(0);
            if (watch.message != null) {
                throw new ImageDecodeException(Kind.CORRUPT, format.id() + " data is incomplete: " + watch.message);
            }
            BufferedImage rgb = RgbImages.toRgb(raw);
            if (format == ImageFormat.JPEG) {
                rgb = ExifOrientation.apply(rgb, ExifOrientation.read(bytes));
            }
            return new DecodedImage(rgb, rgb.getWidth(), rgb.getHeight(), format.id());
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Readers signal truncation and corruption with IIOException, EOFException, and sometimes with
            // IndexOutOfBounds or IllegalArgument exceptions from deep inside: all mean "this file is broken".
            throw new ImageDecodeException(Kind.CORRUPT, "corrupt or truncated " + format.id() + ": " + describe(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /**
     * Readers return a half-grey picture for a truncated JPEG and only warn ("premature end of data segment" when the
     * data runs out); that picture must not be indexed. A file that lacks only its final EOI marker is complete and
     * decodes fine (TwelveMonkeys warns "Missing EOI"); other warnings (extraneous bytes, odd markers) leave a
     * complete image too and are ignored.
     */
    private static final class TruncationWatch implements IIOReadWarningListener {
        volatile String message;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
            if (w.contains("premature end") || w.contains("unexpected end")) {
                message = warning;
            }
        }
    }
}
