package com.imageretrieval.dataset;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.TarFixtures;
import com.imageretrieval.testing.TestDirs;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 5, the cases SafeTarExtractorTest leaves out: a zip-slip archive (the app takes tar/tar.gz only, so a zip is
 * refused whole, never half-read) and a traversal entry after good ones (nothing from the good entries remains).
 */
class HostileArchiveTest {

    private final Path dir = TestDirs.fresh("hostile-archive");
    private final Path target = dir.resolve("work/dataset");

    @Test
    void aZipSlipArchiveIsRefusedAndWritesNothingAnywhere() throws Exception {
        Path zip = dir.resolve("flowers.tgz"); // named like the expected archive: the bytes decide
        try (OutputStream f = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(f)) {
            z.putNextEntry(new ZipEntry("flower_photos/daisy/1.jpg"));
            z.write("fine".getBytes(StandardCharsets.US_ASCII));
            z.putNextEntry(new ZipEntry("../../evil.jpg"));
            z.write("evil".getBytes(StandardCharsets.US_ASCII));
        }
        Files.createDirectories(target.getParent());
        IOException e = assertThrows(IOException.class, () -> new SafeTarExtractor().extract(zip, target, true));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
        assertNothingWritten();
    }

    @Test
    void aTraversalAfterGoodEntriesLeavesNoDatasetThatLooksComplete() throws Exception {
        Path tgz = new TarFixtures.Archive().file("flower_photos/daisy/1.jpg", "one")
                .file("flower_photos/daisy/2.jpg", "two").file("flower_photos/../../../evil.jpg", "evil")
                .writeTgz(dir.resolve("mixed.tgz"));
        Files.createDirectories(target.getParent());
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                () -> new SafeTarExtractor().extract(tgz, target, true));
        assertTrue(e.getMessage().contains("evil.jpg"), e.getMessage());
        assertNothingWritten();
        assertFalse(DatasetInstaller.isInstalled(target));
    }

    private void assertNothingWritten() throws IOException {
        assertFalse(Files.exists(target), "no dataset folder after a refusal");
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("evil.jpg")), "evil.jpg was written");
        }
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".extracting-")), "staging left over");
        }
        assertFalse(Files.exists(dir.getParent().resolve("evil.jpg")));
    }
}
