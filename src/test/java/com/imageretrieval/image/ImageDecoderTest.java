package com.imageretrieval.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.image.ImageDecodeException.Kind;
import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    // ---------------------------------------------------------------- formats and pixel types

    @Test
    void jpegDecodesToRgbWithItsSize() throws Exception {
        DecodedImage d = decoder.decode(TestImages.jpeg(TestImages.solid(new Color(200, 40, 90), 64, 48), 0.95f));
        assertEquals("jpeg", d.format());
        assertEquals(64, d.width());
        assertEquals(48, d.height());
        assertRgbType(d);
        assertNear(new Color(200, 40, 90), pixel(d, 32, 24), 4);
    }

    @Test
    void pngAlphaIsCompositedOnWhite() throws Exception {
        BufferedImage argb = new BufferedImage(30, 10, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 30; x++) {
                int p = x < 10 ? 0x00000000 // fully transparent black -> white
                        : x < 20 ? 0xFFFF0000 // opaque red -> red
                        : 0x80000000; // half transparent black -> mid grey
                argb.setRGB(x, y, p);
            }
        }
        DecodedImage d = decoder.decode(TestImages.encode(argb, "png"));
        assertEquals("png", d.format());
        assertRgbType(d);
        assertEquals(0xFFFFFF, pixel(d, 5, 5));
        assertEquals(0xFF0000, pixel(d, 15, 5));
        int grey = 255 - Math.round(255 * 128 / 255f); // 255 * (1 - 128/255)
        assertEquals(grey << 16 | grey << 8 | grey, pixel(d, 25, 5));
    }

    @Test
    void grayscalePngKeepsStoredValues() throws Exception {
        BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(3, 3, 0, 100);
        DecodedImage d = decoder.decode(TestImages.encode(gray, "png"));
        assertRgbType(d);
        // Java2D's linear-gray conversion would give ~0xA9A9A9: the stored value is a display value.
        assertEquals(0x646464, pixel(d, 3, 3));
        assertEquals(0x000000, pixel(d, 0, 0));
    }

    @Test
    void sixteenBitGrayPngIsScaledTo8Bits() throws Exception {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(1, 1, 0, 25_600); // 25600 * 255 / 65535 = 99.6
        gray.getRaster().setSample(2, 2, 0, 65_535);
        DecodedImage d = decoder.decode(TestImages.encode(gray, "png"));
        assertRgbType(d);
        assertEquals(0x646464, pixel(d, 1, 1));
        assertEquals(0xFFFFFF, pixel(d, 2, 2));
    }

    @Test
    void sixteenBitRgbaPngIsScaledAndComposited() throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                Transparency.TRANSLUCENT, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(4, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                raster.setPixel(x, y, new int[] {65_535, 32_896, 0, y < 2 ? 65_535 : 0});
            }
        }
        BufferedImage img = new BufferedImage(cm, raster, false, null);
        DecodedImage d = decoder.decode(TestImages.encode(img, "png"));
        assertRgbType(d);
        assertEquals(0xFF8000, pixel(d, 1, 0)); // 32896 * 255 / 65535 = 128.0
        assertEquals(0xFFFFFF, pixel(d, 1, 3)); // transparent -> white
    }

    @Test
    void palettePngAndGifKeepPaletteColours() throws Exception {
        byte[] r = {(byte) 10, (byte) 250, 0};
        byte[] g = {(byte) 20, (byte) 128, 0};
        byte[] b = {(byte) 30, (byte) 5, 0};
        IndexColorModel palette = new IndexColorModel(2, 3, r, g, b, 2); // index 2 transparent
        BufferedImage indexed = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_BINARY, palette);
        indexed.getRaster().setSample(1, 1, 0, 1);
        indexed.getRaster().setSample(2, 2, 0, 2);
        for (String format : List.of("png", "gif")) {
            DecodedImage d = decoder.decode(TestImages.encode(indexed, format));
            assertEquals(format, d.format());
            assertRgbType(d);
            assertEquals(0x0A141E, pixel(d, 0, 0), format);
            assertEquals(0xFA8005, pixel(d, 1, 1), format);
            assertEquals(0xFFFFFF, pixel(d, 2, 2), format + ": transparent index shows white");
        }
    }

    @Test
    void bmpDecodes() throws Exception {
        DecodedImage d = decoder.decode(TestImages.encode(TestImages.solid(new Color(1, 2, 3), 5, 7), "bmp"));
        assertEquals("bmp", d.format());
        assertRgbType(d);
        assertEquals(5, d.width());
        assertEquals(7, d.height());
        assertEquals(0x010203, pixel(d, 4, 6));
    }

    @Test
    void webpDecodes() throws Exception {
        byte[] webp = TestImages.webpSolid(new Color(200, 100, 30), 7, 5);
        DecodedImage d = decoder.decode(webp);
        assertEquals("webp", d.format());
        assertRgbType(d);
        assertEquals(7, d.width());
        assertEquals(5, d.height());
        assertEquals(0xC8641E, pixel(d, 3, 2));
        assertKind(Kind.TOO_LARGE, webp, new ImageDecoder(34));
        assertKind(Kind.CORRUPT, Arrays.copyOf(webp, 24));
    }

    @Test
    void grayscaleJpegDecodes() throws Exception {
        BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = gray.createGraphics();
        g.setColor(new Color(90, 90, 90));
        g.fillRect(0, 0, 32, 32);
        g.dispose();
        DecodedImage d = decoder.decode(TestImages.jpeg(gray, 0.95f));
        assertRgbType(d);
        assertNear(new Color(90, 90, 90), pixel(d, 16, 16), 2);
    }

    @Test
    void animatedGifGivesFirstFrame() throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (Color c : List.of(Color.RED, Color.BLUE, Color.GREEN)) {
                BufferedImage frame = TestImages.solid(c, 12, 9);
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                String fmt = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(fmt);
                IIOMetadataNode gce = new IIOMetadataNode("GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", "10");
                gce.setAttribute("transparentColorIndex", "0");
                root.appendChild(gce);
                meta.setFromTree(fmt, root);
                writer.writeToSequence(new IIOImage(frame, null, meta), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        DecodedImage d = decoder.decode(bytes.toByteArray());
        assertEquals("gif", d.format());
        assertRgbType(d);
        assertEquals(0xFF0000, pixel(d, 6, 4));
    }

    @Test
    void adobeCmykJpegDecodesToRgb() throws Exception {
        // Four stripes of Adobe-style (inverted) CMYK: no ink, full ink, cyan only, magenta only. The JDK's own
        // reader refuses CMYK JPEGs; TwelveMonkeys converts them.
        int[][] stripes = {{255, 255, 255, 255}, {0, 0, 0, 0}, {0, 255, 255, 255}, {255, 0, 255, 255}};
        WritableRaster cmyk = WritableRaster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                cmyk.setPixel(x, y, stripes[x / 8]);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        } finally {
            writer.dispose();
        }
        byte[] plain = bytes.toByteArray();
        // APP14 "Adobe", version 100, flags 0, transform 0 (= CMYK, not YCCK) right after SOI.
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        ByteArrayOutputStream marked = new ByteArrayOutputStream();
        marked.write(plain, 0, 2);
        marked.writeBytes(adobe);
        marked.write(plain, 2, plain.length - 2);

        DecodedImage d = decoder.decode(marked.toByteArray());
        assertEquals("jpeg", d.format());
        assertRgbType(d);
        assertNear(Color.WHITE, pixel(d, 4, 8), 12);
        assertNear(Color.BLACK, pixel(d, 12, 8), 12);
        assertNear(Color.CYAN, pixel(d, 20, 8), 30);
        assertNear(Color.MAGENTA, pixel(d, 28, 8), 30);
        // Without the Adobe marker the four channels are ambiguous, but it still decodes to RGB instead of failing.
        assertRgbType(decoder.decode(plain));
    }

    // ---------------------------------------------------------------- EXIF orientation

    /**
     * Stored 64x32 image: quadrants red (top-left), green (top-right), blue (bottom-left), white (bottom-right). The
     * expected display follows the EXIF definitions of where stored row 0 / column 0 appear.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsApplied(int orientation) throws Exception {
        BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = stored.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 16);
        g.setColor(Color.GREEN);
        g.fillRect(32, 0, 32, 16);
        g.setColor(Color.BLUE);
        g.fillRect(0, 16, 32, 16);
        g.setColor(Color.WHITE);
        g.fillRect(32, 16, 32, 16);
        g.dispose();
        byte[] jpeg = withExifOrientation(TestImages.jpeg(stored, 0.95f), orientation);

        DecodedImage d = decoder.decode(jpeg);
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? 32 : 64, d.width());
        assertEquals(swapped ? 64 : 32, d.height());
        // Where the red (stored top-left) and green (stored top-right) quadrants are shown, by orientation.
        String[] red = {null, "TL", "TR", "BR", "BL", "TL", "TR", "BR", "BL"};
        String[] green = {null, "TR", "TL", "BL", "BR", "BL", "BR", "TR", "TL"};
        assertNear(Color.RED, corner(d, red[orientation]), 40);
        assertNear(Color.GREEN, corner(d, green[orientation]), 40);
    }

    @Test
    void littleEndianExifIsReadToo() throws Exception {
        byte[] jpeg = withExifOrientation(TestImages.jpeg(TestImages.solid(Color.GRAY, 40, 20), 0.9f), 6, true);
        DecodedImage d = decoder.decode(jpeg);
        assertEquals(20, d.width());
        assertEquals(40, d.height());
    }

    @Test
    void exifOrientationIsIgnoredOutsideTheValidRange() throws Exception {
        byte[] jpeg = withExifOrientation(TestImages.jpeg(TestImages.solid(Color.GRAY, 40, 20), 0.9f), 9);
        DecodedImage d = decoder.decode(jpeg);
        assertEquals(40, d.width());
        assertEquals(20, d.height());
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void emptyInputIsEmpty() {
        assertKind(Kind.EMPTY, new byte[0]);
    }

    @Test
    void garbageTextSvgXmlAndTiffAreUnsupported() throws Exception {
        byte[] random = new byte[2000];
        new Random(7).nextBytes(random);
        random[0] = 0x12;
        assertKind(Kind.UNSUPPORTED_TYPE, random);
        assertKind(Kind.UNSUPPORTED_TYPE, "hello, this is not an image".getBytes(StandardCharsets.US_ASCII));
        assertKind(Kind.UNSUPPORTED_TYPE, ("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>").getBytes(StandardCharsets.UTF_8));
        assertKind(Kind.UNSUPPORTED_TYPE, "<svg width=\"10\" height=\"10\"></svg>".getBytes(StandardCharsets.UTF_8));
        assertKind(Kind.UNSUPPORTED_TYPE, TestImages.encode(TestImages.solid(Color.RED, 8, 8), "tiff"));
        assertKind(Kind.UNSUPPORTED_TYPE, "BM".getBytes(StandardCharsets.US_ASCII));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp"})
    void truncatedFilesAreCorrupt(String format) {
        BufferedImage img = TestImages.gradient(120, 90, 3);
        if (format.equals("gif")) {
            BufferedImage indexed = new BufferedImage(120, 90, BufferedImage.TYPE_BYTE_INDEXED);
            indexed.createGraphics().drawImage(img, 0, 0, null);
            img = indexed;
        }
        byte[] full = format.equals("jpeg") ? TestImages.jpeg(img, 0.9f) : TestImages.encode(img, format);
        byte[] half = Arrays.copyOf(full, full.length / 2);
        ImageDecodeException e = assertKind(Kind.CORRUPT, half);
        assertTrue(e.getMessage().contains(format), e.getMessage());
    }

    @Test
    void jpegCutInsideTheScanIsCorruptButOneMissingOnlyItsEndMarkerIsComplete() throws Exception {
        byte[] full = TestImages.jpeg(TestImages.gradient(120, 90, 3), 0.9f);
        assertKind(Kind.CORRUPT, Arrays.copyOf(full, full.length - 40));
        byte[] noEoi = Arrays.copyOf(full, full.length - 2); // every pixel present, FF D9 missing
        assertArrayEquals(rgb(decoder.decode(full)), rgb(decoder.decode(noEoi)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg", "png", "gif", "bmp", "webp"})
    void validMagicFollowedByGarbageIsCorrupt(String format) {
        byte[] bytes = new byte[4096];
        new Random(11).nextBytes(bytes);
        byte[] magic = switch (format) {
            case "jpeg" -> new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};
            case "png" -> new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
            case "gif" -> "GIF89a".getBytes(StandardCharsets.US_ASCII);
            case "bmp" -> new byte[] {'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0};
            default -> "RIFF\u0000\u0010\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.US_ASCII);
        };
        System.arraycopy(magic, 0, bytes, 0, magic.length);
        assertKind(Kind.CORRUPT, bytes);
    }

    @Test
    void imageAboveThePixelCapIsTooLarge() {
        byte[] png = TestImages.encode(TestImages.solid(Color.RED, 20, 20), "png");
        assertKind(Kind.TOO_LARGE, png, new ImageDecoder(399));
        // 20x20 exactly at the cap is fine.
        assertDoesNotFail(() -> new ImageDecoder(400).decode(png));
    }

    @Test
    void hugeDeclaredSizeIsRefusedBeforeAllocation() {
        // A 70-byte PNG announcing 60000 x 60000 (3.6 G pixels, > 10 GiB as RGB: more than this JVM's heap).
        byte[] png = TestImages.encode(TestImages.solid(Color.RED, 4, 4), "png");
        setIhdrSize(png, 60_000, 60_000);
        ImageDecodeException e = assertKind(Kind.TOO_LARGE, png);
        assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
    }

    // ---------------------------------------------------------------- files and threads

    @Test
    void decodesFromPath() throws Exception {
        Path file = Path.of("target", "test-images", "decoder", "sample.png");
        TestImages.writePng(TestImages.gradient(33, 21, 1), file);
        DecodedImage d = decoder.decode(file);
        assertEquals(33, d.width());
        assertEquals(21, d.height());
        assertEquals("png", d.format());
        Path misnamed = file.resolveSibling("really-a-png.jpg");
        Files.copy(file, misnamed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals("png", decoder.decode(misnamed).format(), "format comes from the bytes, not the name");
    }

    @Test
    void concurrentDecodesGiveIdenticalPixels() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.gradient(160, 120, 5), 0.9f);
        int[] expected = rgb(decoder.decode(jpeg));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> rgb(decoder.decode(jpeg))));
            }
            for (Future<int[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- helpers

    private interface Decode {
        void run() throws Exception;
    }

    private static void assertDoesNotFail(Decode d) {
        try {
            d.run();
        } catch (Exception e) {
            throw new AssertionError("unexpected failure", e);
        }
    }

    private ImageDecodeException assertKind(Kind kind, byte[] bytes) {
        return assertKind(kind, bytes, decoder);
    }

    private static ImageDecodeException assertKind(Kind kind, byte[] bytes, ImageDecoder decoder) {
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(bytes));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        return e;
    }

    private static void assertRgbType(DecodedImage d) {
        int t = d.image().getType();
        assertTrue(t == BufferedImage.TYPE_INT_RGB || t == BufferedImage.TYPE_3BYTE_BGR, "image type " + t);
        assertEquals(d.width(), d.image().getWidth());
        assertEquals(d.height(), d.image().getHeight());
    }

    private static int pixel(DecodedImage d, int x, int y) {
        return d.image().getRGB(x, y) & 0xFFFFFF;
    }

    private static int[] rgb(DecodedImage d) {
        return d.image().getRGB(0, 0, d.width(), d.height(), null, 0, d.width());
    }

    private static int corner(DecodedImage d, String where) {
        int x = where.charAt(1) == 'L' ? d.width() / 4 : d.width() * 3 / 4;
        int y = where.charAt(0) == 'T' ? d.height() / 4 : d.height() * 3 / 4;
        return pixel(d, x, y);
    }

    private static void assertNear(Color expected, int actual, int tolerance) {
        int[] e = {expected.getRed(), expected.getGreen(), expected.getBlue()};
        int[] a = {actual >> 16 & 0xFF, actual >> 8 & 0xFF, actual & 0xFF};
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= tolerance,
                    "expected ~" + Arrays.toString(e) + " got " + Arrays.toString(a));
        }
    }

    /** Inserts an APP1 "Exif" segment (big-endian TIFF, one IFD entry: Orientation SHORT) after SOI and any APP0. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        return withExifOrientation(jpeg, orientation, false);
    }

    static byte[] withExifOrientation(byte[] jpeg, int orientation, boolean littleEndian) {
        byte[] tiff = littleEndian ? new byte[] {
            'I', 'I', 42, 0, 8, 0, 0, 0, // header, IFD0 at offset 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, // tag 274, SHORT, count 1, value
            0, 0, 0, 0 // no next IFD
        } : new byte[] {
            'M', 'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
            0, 0, 0, 0
        };
        byte[] id = {'E', 'x', 'i', 'f', 0, 0};
        int length = 2 + id.length + tiff.length;
        ByteArrayOutputStream seg = new ByteArrayOutputStream();
        seg.write(0xFF);
        seg.write(0xE1);
        seg.write(length >> 8);
        seg.write(length & 0xFF);
        seg.writeBytes(id);
        seg.writeBytes(tiff);
        int at = 2;
        if ((jpeg[2] & 0xFF) == 0xFF && (jpeg[3] & 0xFF) == 0xE0) {
            at = 4 + ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        out.writeBytes(seg.toByteArray());
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** Rewrites a PNG's IHDR width and height and fixes the chunk CRC, so only the size is "wrong". */
    private static void setIhdrSize(byte[] png, int width, int height) {
        // 8-byte signature, then IHDR: length(4) "IHDR"(4) width(4) height(4) ... CRC after 13 data bytes.
        putInt(png, 16, width);
        putInt(png, 20, height);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 4 + 13);
        putInt(png, 12 + 4 + 13, (int) crc.getValue());
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
