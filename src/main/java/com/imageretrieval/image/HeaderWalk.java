package com.imageretrieval.image;

import com.imageretrieval.image.ImageDecodeException.Kind;

/**
 * Walks a file's own structure before any reader sees it, for what the reader's {@code getWidth/getHeight} does not
 * tell: images inside images and sizes declared by headers.
 * <ul>
 *   <li><b>BMP</b> whose compression field says "embedded JPEG" or "embedded PNG" (BI_JPEG, BI_PNG): the header's size
 *       says nothing about the inner image, so these are refused (415). A palette larger than the file is corrupt.</li>
 *   <li><b>WebP</b>: every frame the file carries (VP8, VP8L, each ANMF frame) is checked against the pixel cap, not
 *       only the VP8X canvas that the reader reports.</li>
 *   <li><b>JPEG</b>: every frame header (SOFn) before the first scan is checked; hierarchical JPEG (DHP) is refused.</li>
 *   <li><b>PNG, WebP</b>: a chunk that declares more bytes than the file holds is corrupt (400) before any reader
 *       could size a buffer from it.</li>
 * </ul>
 * All reads are bounds-checked against the byte array, so a hostile header can only make this return or throw
 * {@link ImageDecodeException}.
 */
final class HeaderWalk {

    private static final int BI_JPEG = 4;
    private static final int BI_PNG = 5;

    private HeaderWalk() {
    }

    static void check(ImageFormat format, byte[] b, long maxPixels) throws ImageDecodeException {
        switch (format) {
            case BMP -> bmp(b);
            case WEBP -> webp(b, maxPixels);
            case JPEG -> jpeg(b, maxPixels);
            case PNG -> png(b);
            default -> { } // GIF: the reader decodes frame 0, whose own descriptor getWidth(0) reports
        }
    }

    private static void bmp(byte[] b) throws ImageDecodeException {
        int dib = le32(b, 14);
        if (dib < 40 || b.length < 14 + 40) {
            return; // OS/2 core header: no compression field
        }
        int compression = le32(b, 30);
        if (compression == BI_JPEG || compression == BI_PNG) {
            throw new ImageDecodeException(Kind.UNSUPPORTED_TYPE, "bmp with an embedded "
                    + (compression == BI_JPEG ? "JPEG" : "PNG") + " image is not accepted; upload the "
                    + (compression == BI_JPEG ? "JPEG" : "PNG") + " itself");
        }
        long colours = le32(b, 46) & 0xFFFFFFFFL;
        if (colours * 4 > b.length) {
            throw new ImageDecodeException(Kind.CORRUPT, "bmp palette of " + colours + " colours is larger than the file");
        }
    }

    private static void png(byte[] b) throws ImageDecodeException {
        int pos = 8;
        while (pos + 8 <= b.length) {
            long len = be32(b, pos) & 0xFFFFFFFFL;
            String type = new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (len > b.length - pos - 12L) {
                throw new ImageDecodeException(Kind.CORRUPT, "png chunk " + type + " declares " + len
                        + " bytes but the file has " + Math.max(0, b.length - pos - 12) + " left");
            }
            if (type.equals("IEND")) {
                return;
            }
            pos += 12 + (int) len;
        }
    }

    private static void jpeg(byte[] b, long maxPixels) throws ImageDecodeException {
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return; // not at a marker: the reader will judge
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                pos += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return; // first scan (or end): the frame is fixed from here on
            }
            int len = be16(b, pos + 2);
            if (marker == 0xDE) {
                throw new ImageDecodeException(Kind.UNSUPPORTED_TYPE, "hierarchical JPEG is not accepted");
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof && pos + 9 <= b.length) {
                cap("jpeg frame", be16(b, pos + 7), be16(b, pos + 5), maxPixels);
            }
            pos += 2 + len;
        }
    }

    private static void webp(byte[] b, long maxPixels) throws ImageDecodeException {
        chunks(b, 12, b.length, maxPixels, 0);
    }

    /** Walks RIFF chunks in [from, to); ANMF frames hold nested chunks (one level). */
    private static void chunks(byte[] b, int from, int to, long maxPixels, int depth) throws ImageDecodeException {
        int pos = from;
        while (pos + 8 <= to) {
            String fourcc = new String(b, pos, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            long size = le32(b, pos + 4) & 0xFFFFFFFFL;
            int data = pos + 8;
            if (size > to - data) {
                throw new ImageDecodeException(Kind.CORRUPT, "webp chunk " + fourcc + " declares " + size
                        + " bytes but the file has " + (to - data) + " left");
            }
            switch (fourcc) {
                case "VP8X" -> {
                    if (size >= 10) {
                        cap("webp canvas", le24(b, data + 4) + 1, le24(b, data + 7) + 1, maxPixels);
                    }
                }
                case "VP8 " -> {
                    if (size >= 10) {
                        cap("webp VP8 frame", le16(b, data + 6) & 0x3FFF, le16(b, data + 8) & 0x3FFF, maxPixels);
                    }
                }
                case "VP8L" -> {
                    if (size >= 5) {
                        long bits = le32(b, data + 1) & 0xFFFFFFFFL;
                        cap("webp VP8L frame", (int) (bits & 0x3FFF) + 1, (int) (bits >>> 14 & 0x3FFF) + 1, maxPixels);
                    }
                }
                case "ANMF" -> {
                    if (size >= 16) {
                        cap("webp animation frame", le24(b, data + 6) + 1, le24(b, data + 9) + 1, maxPixels);
                        if (depth == 0) {
                            chunks(b, data + 16, data + (int) size, maxPixels, 1);
                        }
                    }
                }
                default -> { }
            }
            pos = data + (int) size + (int) (size & 1);
        }
    }

    private static void cap(String what, int width, int height, long maxPixels) throws ImageDecodeException {
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageDecodeException(Kind.TOO_LARGE, what + " of " + width + "x" + height + " = " + pixels
                    + " pixels is above the limit of " + maxPixels);
        }
    }

    private static int at(byte[] b, int i) {
        return i >= 0 && i < b.length ? b[i] & 0xFF : 0;
    }

    private static int le16(byte[] b, int i) {
        return at(b, i) | at(b, i + 1) << 8;
    }

    private static int le24(byte[] b, int i) {
        return le16(b, i) | at(b, i + 2) << 16;
    }

    private static int le32(byte[] b, int i) {
        return le24(b, i) | at(b, i + 3) << 24;
    }

    private static int be16(byte[] b, int i) {
        return at(b, i) << 8 | at(b, i + 1);
    }

    private static int be32(byte[] b, int i) {
        return be16(b, i) << 16 | be16(b, i + 2);
    }
}
