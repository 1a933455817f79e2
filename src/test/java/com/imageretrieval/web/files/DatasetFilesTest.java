package com.imageretrieval.web.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatasetFilesTest {

    private Path base;
    private Path dataset;
    private DatasetFiles files;

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createDirectories(Path.of("target", "unit", "dataset-files-" + System.nanoTime()));
        dataset = Files.createDirectories(base.resolve("dataset"));
        Files.createDirectories(dataset.resolve("daisy"));
        Files.write(dataset.resolve("daisy/a b.jpg"), new byte[] {1, 2, 3});
        Files.write(dataset.resolve("daisy/notes.txt"), new byte[] {1});
        Files.write(base.resolve("secret.png"), new byte[] {9});
        files = new DatasetFiles(dataset);
    }

    @Test
    void servesImagesInsideTheDataset() throws IOException {
        Optional<Path> p = files.resolve("/daisy/a b.jpg");
        assertEquals(dataset.resolve("daisy/a b.jpg").toRealPath(), p.orElseThrow());
        assertEquals(Optional.of("image/jpeg"), DatasetFiles.contentType("daisy/a b.jpg"));
        assertEquals(Optional.of("image/png"), DatasetFiles.contentType("X.PNG"));
    }

    @Test
    void refusesTraversalAbsoluteAndOddPaths() {
        for (String bad : new String[] {null, "", "/", "/../secret.png", "/daisy/../../secret.png", "/./daisy/a b.jpg",
                "//etc/passwd.png", "/" + base.toAbsolutePath() + "/secret.png", "/..\\secret.png",
                "/daisy\\a b.jpg", "/C:/secret.png", "/daisy/a b.jpg\0.png", "/daisy/", "/daisy"}) {
            assertTrue(files.resolve(bad).isEmpty(), "must refuse " + bad);
        }
    }

    @Test
    void refusesNonImagesAndMissingFiles() {
        assertTrue(files.resolve("/daisy/notes.txt").isEmpty());
        assertTrue(files.resolve("/daisy/missing.jpg").isEmpty());
        assertTrue(new DatasetFiles(base.resolve("absent")).resolve("/daisy/a b.jpg").isEmpty());
    }

    @Test
    void refusesSymbolicLinksThatLeaveTheDataset() throws IOException {
        Files.createSymbolicLink(dataset.resolve("daisy/link.png"), base.resolve("secret.png").toAbsolutePath());
        Files.createSymbolicLink(dataset.resolve("outside"), base.toAbsolutePath());
        assertTrue(files.resolve("/daisy/link.png").isEmpty());
        assertTrue(files.resolve("/outside/secret.png").isEmpty());
    }

    @Test
    void followsSymbolicLinksThatStayInside() throws IOException {
        Files.createSymbolicLink(dataset.resolve("alias.jpg"), dataset.resolve("daisy/a b.jpg").toAbsolutePath());
        assertEquals(dataset.resolve("daisy/a b.jpg").toRealPath(), files.resolve("/alias.jpg").orElseThrow());
    }
}
