package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetScannerTest {

    @TempDir
    Path tmp;

    private static void touch(Path p, int bytes) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[bytes]);
    }

    @Test
    void listsImagesSortedWithLabelsAndSkipsHiddenAndOtherFiles() throws IOException {
        Path root = tmp.resolve("data");
        touch(root.resolve("tulips/b.JPG"), 3);
        touch(root.resolve("tulips/a.jpeg"), 1);
        touch(root.resolve("roses/deep/x.WebP"), 2);
        touch(root.resolve("roses/y.png"), 2);
        touch(root.resolve("top.gif"), 4);
        touch(root.resolve("daisy/z.bmp"), 5);
        touch(root.resolve("daisy/notes.txt"), 5);
        touch(root.resolve("daisy/noext"), 5);
        touch(root.resolve("daisy/.hidden.jpg"), 5);
        touch(root.resolve(".cache/c.jpg"), 5);
        touch(root.resolve("LICENSE.txt"), 5);
        Files.createDirectories(root.resolve("empty"));

        List<DatasetScanner.ScannedFile> files = DatasetScanner.scan(root);
        assertEquals(List.of("daisy/z.bmp", "roses/deep/x.WebP", "roses/y.png", "top.gif", "tulips/a.jpeg",
                "tulips/b.JPG"), files.stream().map(DatasetScanner.ScannedFile::path).toList());
        assertEquals(List.of("daisy", "roses", "roses", "", "tulips", "tulips"),
                files.stream().map(DatasetScanner.ScannedFile::label).toList());
        DatasetScanner.ScannedFile b = files.get(5);
        assertEquals(3, b.size());
        assertEquals(Files.getLastModifiedTime(b.file()).toMillis(), b.mtime());
        assertEquals(root.resolve("tulips/b.JPG").toAbsolutePath(), b.file());
        assertEquals(files, DatasetScanner.scan(root), "the same folder gives the same list");
        assertTrue(DatasetScanner.hasImages(root));
    }

    @Test
    void linksLeavingTheRootAreNotFollowed() throws IOException {
        Path root = tmp.resolve("data");
        Path outside = tmp.resolve("outside");
        touch(root.resolve("roses/in.jpg"), 1);
        touch(outside.resolve("secret.jpg"), 1);
        try {
            Files.createSymbolicLink(root.resolve("linked-dir"), outside);
            Files.createSymbolicLink(root.resolve("roses/linked.jpg"), outside.resolve("secret.jpg"));
            Files.createSymbolicLink(root.resolve("inner-link"), root.resolve("roses"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "no symbolic links here: " + e);
        }
        List<String> paths = DatasetScanner.scan(root).stream().map(DatasetScanner.ScannedFile::path).toList();
        assertEquals(List.of("inner-link/in.jpg", "roses/in.jpg"), paths);
    }

    @Test
    void missingOrEmptyFolders() throws IOException {
        assertThrows(IOException.class, () -> DatasetScanner.scan(tmp.resolve("nope")));
        assertFalse(DatasetScanner.hasImages(tmp.resolve("nope")));
        touch(tmp.resolve("d/readme.txt"), 1);
        assertFalse(DatasetScanner.hasImages(tmp.resolve("d")));
        assertEquals(List.of(), DatasetScanner.scan(tmp.resolve("d")));
    }
}
