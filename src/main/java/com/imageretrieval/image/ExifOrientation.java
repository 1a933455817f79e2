package com.imageretrieval.image;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;

/** The EXIF orientation tag of a JPEG (1..8) and the pixel transform that makes the image upright. */
final class ExifOrientation {

    private static final int APP1 = 0xFFE1;

    private ExifOrientation() {
    }

    /** Orientation from the first Exif APP1 segment; 1 (as stored) when absent or unreadable: metadata never fails a decode. */
    static int read(byte[] jpeg) {
        try (ImageInputStream in = new ByteArrayImageInputStream(jpeg)) {
            List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, APP1, "Exif");
            for (JPEGSegment segment : segments) {
                InputStream data = segment.data();
                if (data.read() < 0) { // the pad byte after "Exif\0"
                    continue;
                }
                try (ImageInputStream tiff = new ByteArrayImageInputStream(data.readAllBytes())) {
                    Directory dir = new TIFFReader().read(tiff);
                    Entry entry = dir.getEntryById(TIFF.TAG_ORIENTATION);
                    if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                        return n.intValue();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable EXIF: show the image as stored
        }
        return 1;
    }

    /**
     * The upright image for an orientation. Tag value o says where stored row 0 / column 0 are shown:
     * 2 mirrored, 3 rotated 180, 4 flipped, 5 transposed, 6 rotated 90 clockwise, 7 transversed, 8 rotated 90 counter-clockwise.
     */
    static BufferedImage apply(BufferedImage rgb, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return rgb;
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] src = RgbImages.intPixels(rgb);
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int dx;
                int dy;
                switch (orientation) {
                    case 2: dx = w - 1 - x; dy = y; break;
                    case 3: dx = w - 1 - x; dy = h - 1 - y; break;
                    case 4: dx = x; dy = h - 1 - y; break;
                    case 5: dx = y; dy = x; break;
                    case 6: dx = h - 1 - y; dy = x; break;
                    case 7: dx = h - 1 - y; dy = w - 1 - x; break;
                    default: dx = y; dy = w - 1 - x; break; // 8
                }
                dst[dy * ow + dx] = src[y * w + x];
            }
        }
        return out;
    }
}
