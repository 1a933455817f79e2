package com.imageretrieval.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar and tar.gz archives, good and hostile, for the extraction tests. */
public final class TarFixtures {

    private TarFixtures() {
    }

    /** Builder of one archive; entries are written in the order they are added. */
    public static final class Archive {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        public Archive() {
            tar = new TarArchiveOutputStream(bytes);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        public Archive dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        public Archive file(String name, byte[] content) throws IOException {
            // preserveAbsolutePath=true: the name is written exactly as given, '/' and '..' included.
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(content.length);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        }

        public Archive file(String name, String content) throws IOException {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }

        /** A link, device or FIFO entry (no data). */
        public Archive special(String name, byte linkFlag, String linkTarget) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, linkFlag, true);
            if (linkTarget != null) {
                e.setLinkName(linkTarget);
            }
            if (linkFlag == TarConstants.LF_CHR || linkFlag == TarConstants.LF_BLK) {
                e.setDevMajor(1);
                e.setDevMinor(3);
            }
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        /** The tar bytes (finished). */
        public byte[] tarBytes() throws IOException {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        }

        public Path writeTgz(Path file) throws IOException {
            byte[] raw = tarBytes();
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(raw);
            }
            return file;
        }

        public Path writeTar(Path file) throws IOException {
            Files.write(file, tarBytes());
            return file;
        }
    }

    /**
     * A tar.gz whose only entry declares {@code declaredSize} bytes but carries just one block of data: the header is
     * written by hand, since TarArchiveOutputStream would insist on the data. Enough to test the size check, which
     * must refuse the entry from its header alone.
     */
    public static Path hugeEntry(Path file, String name, long declaredSize) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(declaredSize);
        byte[] header = new byte[512];
        e.writeEntryHeader(header);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(header);
            out.write(new byte[512]);
        }
        return file;
    }

    /** A small flower_photos.tgz lookalike: one top folder, class folders, a LICENSE.txt. */
    public static Map<String, byte[]> flowerLikeContent() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("flower_photos/LICENSE.txt", "CC-BY 2.0 (test fixture)".getBytes(StandardCharsets.UTF_8));
        String[] classes = {"daisy", "dandelion", "roses", "sunflowers", "tulips"};
        for (int c = 0; c < classes.length; c++) {
            for (int i = 0; i < 3; i++) {
                m.put("flower_photos/" + classes[c] + "/" + (100 + i) + ".jpg",
                        ("fake jpeg " + classes[c] + " " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    public static Path flowerLikeTgz(Path file) throws IOException {
        Archive a = new Archive().dir("flower_photos/");
        String lastDir = "";
        for (Map.Entry<String, byte[]> e : flowerLikeContent().entrySet()) {
            String dir = e.getKey().substring(0, e.getKey().lastIndexOf('/') + 1);
            if (!dir.equals(lastDir) && !dir.equals("flower_photos/")) {
                a.dir(dir);
            }
            lastDir = dir;
            a.file(e.getKey(), e.getValue());
        }
        return a.writeTgz(file);
    }
}
