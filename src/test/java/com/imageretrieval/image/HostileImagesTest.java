package com.imageretrieval.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.image.ImageDecodeException.Kind;
import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.zip.CRC32;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 5, uploads: decompression bombs in every accepted format, huge metadata blocks, content that does not match
 * the name, and the fixed set of raster readers. The heap of the test JVM (2 GiB) is far below what the bombs
 * announce (50000 x 50000 RGB = 7.5 GB), so any raster allocation would fail the test with OutOfMemoryError.
 */
class HostileImagesTest {

    /** A hang detector only (these decodes take milliseconds), not a speed target. */
    private static final Duration NEVER_HANGS = Duration.ofSeconds(60);

    private final ImageDecoder decoder = new ImageDecoder(40_000_000);

    @Test
    void jpegDeclaring50000x50000IsRefusedFromItsHeader() {
        byte[] jpeg = TestImages.jpeg(TestImages.solid(Color.RED, 16, 16), 0.9f);
        int sof = find(jpeg, 0xFF, 0xC0);
        setBigEndian16(jpeg, sof + 5, 50_000); // SOF0: length(2) precision(1) height(2) width(2)
        setBigEndian16(jpeg, sof + 7, 50_000);
        assertTooLarge(jpeg, "50000x50000");
    }

    @Test
    void gifDeclaring50000x50000IsRefusedFromItsHeader() {
        BufferedImage indexed = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
        byte[] gif = TestImages.encode(indexed, "gif");
        setLittleEndian16(gif, 6, 50_000); // logical screen
        setLittleEndian16(gif, 8, 50_000);
        int descriptor = gifImageDescriptor(gif);
        setLittleEndian16(gif, descriptor + 5, 50_000);
        setLittleEndian16(gif, descriptor + 7, 50_000);
        assertTooLarge(gif, "50000x50000");
    }

    @Test
    void bmpDeclaring50000x50000IsRefusedFromItsHeader() {
        byte[] bmp = TestImages.encode(TestImages.solid(Color.RED, 8, 8), "bmp");
        setLittleEndian32(bmp, 18, 50_000);
        setLittleEndian32(bmp, 22, 50_000);
        // The JDK reader checks the declared sizes against the data in its header parsing, before our pixel cap
        // sees them: refused before any raster either way, as CORRUPT (a 400), never an allocation.
        ImageDecodeException e = assertTimeoutPreemptively(NEVER_HANGS,
                () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(bmp)));
        assertTrue(e.kind() == Kind.CORRUPT || e.kind() == Kind.TOO_LARGE, e.getMessage());
    }

    @Test
    void pngDeclaring50000x50000IsRefusedFromItsHeader() {
        byte[] png = TestImages.encode(TestImages.solid(Color.RED, 4, 4), "png");
        setBigEndian32(png, 16, 50_000);
        setBigEndian32(png, 20, 50_000);
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        setBigEndian32(png, 29, (int) crc.getValue());
        assertTooLarge(png, "50000x50000");
    }

    @Test
    void webpAtTheFormatMaximumIsRefusedFromItsHeader() {
        // VP8L stores 14-bit sizes: 16384 x 16384 = 268 M pixels in a file of a few dozen bytes.
        byte[] webp = TestImages.webpSolid(Color.RED, 16384, 16384);
        assertTrue(webp.length < 100, "a tiny file: " + webp.length);
        assertTooLarge(webp, "16384x16384");
    }

    @Test
    void jpegWithManyHugeCommentAndApplicationSegmentsDecodesCorrectly() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.solid(new Color(20, 200, 40), 32, 24), 0.95f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        byte[] filler = new byte[65_533];
        for (int i = 0; i < 120; i++) { // 120 x 64 KiB = 7.5 MiB of metadata (under MAX_UPLOAD_MB) around 32x24
            int marker = i % 2 == 0 ? 0xFE : 0xE2 + i % 12; // COM, APP2..APP13
            out.write(0xFF);
            out.write(marker);
            out.write(0xFF);
            out.write(0xFF);
            java.util.Arrays.fill(filler, (byte) ('a' + i % 26));
            out.write(filler, 0, filler.length);
        }
        out.write(plain, 2, plain.length - 2);
        byte[] bloated = out.toByteArray();
        DecodedImage d = assertTimeoutPreemptively(NEVER_HANGS, () -> decoder.decode(bloated));
        assertEquals(32, d.width());
        assertEquals(24, d.height());
        assertNear(new Color(20, 200, 40), d.image().getRGB(16, 12));
    }

    @Test
    void pngWithAHugeTextChunkDecodesCorrectly() throws Exception {
        byte[] plain = TestImages.encode(TestImages.solid(new Color(200, 30, 60), 20, 10), "png");
        byte[] text = new byte[8 * 1024 * 1024];
        byte[] keyword = "Comment\0".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(keyword, 0, text, 0, keyword.length);
        java.util.Arrays.fill(text, keyword.length, text.length, (byte) 'x');
        byte[] bloated = insertPngChunk(plain, "tEXt", text);
        DecodedImage d = assertTimeoutPreemptively(NEVER_HANGS, () -> decoder.decode(bloated));
        assertEquals(20, d.width());
        assertNear(new Color(200, 30, 60), d.image().getRGB(5, 5));
    }

    @Test
    void theBytesDecideNotTheName() throws Exception {
        // The decoder is never told a name or a declared type: a PNG "named" .jpg or .svg decodes as the PNG it is,
        // and SVG/XML text "named" .png is refused as unsupported, never handed to an XML parser.
        byte[] png = TestImages.encode(TestImages.solid(Color.BLUE, 6, 6), "png");
        assertEquals("png", decoder.decode(png).format());
        byte[] svg = ("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"9\" height=\"9\">&x;</svg>")
                .getBytes(StandardCharsets.UTF_8);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(svg));
        assertEquals(Kind.UNSUPPORTED_TYPE, e.kind());
    }

    @Test
    void zeroBytesAndOneByteAreRefused() {
        assertEquals(Kind.EMPTY, assertThrows(ImageDecodeException.class, () -> decoder.decode(new byte[0])).kind());
        assertEquals(Kind.UNSUPPORTED_TYPE,
                assertThrows(ImageDecodeException.class, () -> decoder.decode(new byte[] {(byte) 0xFF})).kind());
    }

    /** Every accepted format maps to a known raster reader: no SVG (Batik), XML or TIFF reader is ever used. */
    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void onlyRasterReadersAreReachable(ImageFormat format) throws Exception {
        ImageReader reader = format.newReader();
        try {
            String cls = reader.getClass().getName();
            Set<String> allowed = Set.of(
                    "com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReader",
                    "com.twelvemonkeys.imageio.plugins.webp.WebPImageReader",
                    "com.sun.imageio.plugins.png.PNGImageReader",
                    "com.sun.imageio.plugins.gif.GIFImageReader",
                    "com.sun.imageio.plugins.bmp.BMPImageReader");
            assertTrue(allowed.contains(cls), format + " uses " + cls);
            String lower = cls.toLowerCase(java.util.Locale.ROOT);
            assertTrue(!lower.contains("svg") && !lower.contains("tiff") && !lower.contains("xml"), cls);
        } finally {
            reader.dispose();
        }
    }

    // ---------------------------------------------------------------- issue 10: images inside images

    @Test
    void bmpWithAnEmbeddedPngOrJpegIsRefusedWhateverItsHeaderSays() throws Exception {
        byte[] pngBomb = TestImages.encode(TestImages.solid(Color.RED, 4, 4), "png");
        setBigEndian32(pngBomb, 16, 50_000);
        setBigEndian32(pngBomb, 20, 50_000);
        CRC32 crc = new CRC32();
        crc.update(pngBomb, 12, 17);
        setBigEndian32(pngBomb, 29, (int) crc.getValue());
        byte[] jpeg = TestImages.jpeg(TestImages.solid(Color.RED, 16, 16), 0.9f);
        for (int[] kind : new int[][] {{5}, {4}}) {
            byte[] inner = kind[0] == 5 ? pngBomb : jpeg;
            byte[] bmp = new byte[54 + inner.length];
            bmp[0] = 'B';
            bmp[1] = 'M';
            setLittleEndian32(bmp, 2, bmp.length);
            setLittleEndian32(bmp, 10, 54);
            setLittleEndian32(bmp, 14, 40); // BITMAPINFOHEADER
            setLittleEndian32(bmp, 18, 1); // the header says 1 x 1...
            setLittleEndian32(bmp, 22, 1);
            setLittleEndian16(bmp, 26, 1);
            setLittleEndian16(bmp, 28, 0);
            setLittleEndian32(bmp, 30, kind[0]); // ...and BI_PNG (5) or BI_JPEG (4): the pixels are that file
            setLittleEndian32(bmp, 34, inner.length);
            System.arraycopy(inner, 0, bmp, 54, inner.length);
            ImageDecodeException e = assertTimeoutPreemptively(NEVER_HANGS,
                    () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(bmp)));
            assertEquals(Kind.UNSUPPORTED_TYPE, e.kind(), e.getMessage());
        }
    }

    @Test
    void webpWhoseCanvasIsTinyButWhoseFrameIsHugeIsRefused() {
        byte[] plain = TestImages.webpSolid(Color.RED, 16384, 16384); // RIFF....WEBP VP8L...
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[4]);
        out.writeBytes("WEBPVP8X".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] {10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // VP8X: no flags, canvas 1 x 1
        out.write(plain, 12, plain.length - 12);
        byte[] webp = out.toByteArray();
        setLittleEndian32(webp, 4, webp.length - 8);
        assertTooLarge(webp, "16384x16384");
    }

    @Test
    void aChunkDeclaringMoreBytesThanTheFileIsCorruptBeforeAnyBufferIsSized() {
        byte[] png = TestImages.encode(TestImages.solid(Color.RED, 4, 4), "png");
        byte[] huge = insertPngChunk(png, "tEXt", "k\0v".getBytes(StandardCharsets.US_ASCII));
        setBigEndian32(huge, 33, 0x7FFF_FFF0); // the tEXt chunk now claims 2 GiB
        ImageDecodeException e = assertTimeoutPreemptively(NEVER_HANGS,
                () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(huge)));
        assertEquals(Kind.CORRUPT, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("tEXt"), e.getMessage());
    }

    @Test
    void iconsAndCursorsEmbeddingPngAreNotReadable() {
        byte[] png = TestImages.encode(TestImages.solid(Color.RED, 4, 4), "png");
        for (int type : new int[] {1, 2}) { // ICO, CUR
            byte[] ico = new byte[22 + png.length];
            setLittleEndian16(ico, 2, type);
            setLittleEndian16(ico, 4, 1);
            setLittleEndian32(ico, 14, png.length);
            setLittleEndian32(ico, 18, 22);
            System.arraycopy(png, 0, ico, 22, png.length);
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> decoder.decode(ico));
            assertEquals(Kind.UNSUPPORTED_TYPE, e.kind());
        }
    }

    // ---------------------------------------------------------------- helpers

    private void assertTooLarge(byte[] bytes, String size) {
        ImageDecodeException e = assertTimeoutPreemptively(NEVER_HANGS,
                () -> assertThrows(ImageDecodeException.class, () -> decoder.decode(bytes)));
        assertEquals(Kind.TOO_LARGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(size), e.getMessage());
    }

    private static void assertNear(Color expected, int rgb) {
        int[] e = {expected.getRed(), expected.getGreen(), expected.getBlue()};
        int[] a = {rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF};
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(e[i] - a[i]) <= 8, java.util.Arrays.toString(e) + " vs " + java.util.Arrays.toString(a));
        }
    }

    private static int find(byte[] b, int first, int second) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xFF) == first && (b[i + 1] & 0xFF) == second) {
                return i;
            }
        }
        throw new AssertionError("marker not found");
    }

    /** Offset of the first image descriptor (0x2C), walking past the colour table and extension blocks. */
    private static int gifImageDescriptor(byte[] gif) {
        int pos = 13;
        if ((gif[10] & 0x80) != 0) {
            pos += 3 * (1 << ((gif[10] & 0x07) + 1));
        }
        while ((gif[pos] & 0xFF) == 0x21) {
            pos += 2;
            while (gif[pos] != 0) {
                pos += (gif[pos] & 0xFF) + 1;
            }
            pos++;
        }
        assertEquals(0x2C, gif[pos] & 0xFF);
        return pos;
    }

    private static byte[] insertPngChunk(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterIhdr);
        byte[] chunk = new byte[12 + data.length];
        setBigEndian32(chunk, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, chunk, 4, 4);
        System.arraycopy(data, 0, chunk, 8, data.length);
        CRC32 crc = new CRC32();
        crc.update(chunk, 4, 4 + data.length);
        setBigEndian32(chunk, 8 + data.length, (int) crc.getValue());
        out.writeBytes(chunk);
        out.write(png, afterIhdr, png.length - afterIhdr);
        return out.toByteArray();
    }

    private static void setBigEndian16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private static void setLittleEndian16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    private static void setLittleEndian32(byte[] b, int at, int v) {
        setLittleEndian16(b, at, v);
        setLittleEndian16(b, at + 2, v >>> 16);
    }

    private static void setBigEndian32(byte[] b, int at, int v) {
        setBigEndian16(b, at, v >>> 16);
        setBigEndian16(b, at + 2, v);
    }
}
