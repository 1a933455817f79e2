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

    /**
     * What a container hands on after its single percent-decoding: double-encoded dots stay literal "%2e" text,
     * overlong UTF-8 (%c0%ae) becomes U+FFFD or Latin-1 garbage, fullwidth dots stay fullwidth; none is a dot
     * segment, none names a file, so every one is refused (issue 5).
     */
    @Test
    void refusesEncodedDoubleEncodedAndOverlongFormsAsTheContainerHandsThemOn() {
        for (String bad : new String[] {"/%2e%2e/secret.png", "/%2e%2e%2fsecret.png", "/daisy/%2e%2e/%2e%2e/secret.png",
                "/%252e%252e/secret.png", "/\uFFFD\uFFFD/secret.png", "/\u00c0\u00ae\u00c0\u00ae/secret.png",
                "/\u00c0\u00ae\u00c0\u00ae\u00c0\u00afsecret.png", "/\uff0e\uff0e/secret.png",
                "/daisy/..%5csecret.png", "/..%5c..%5csecret.png", "/daisy/a b.jpg/", "/daisy/a b.jpg/..",
                "/daisy/a b.jpg%00.png", "/daisy/%2e/a b.jpg"}) {
            assertTrue(files.resolve(bad).isEmpty(), "must refuse " + bad);
        }
    }

    @Test
    void onlyImageTypesAreServedWhateverTheNameCase() throws IOException {
        for (String name : new String[] {"page.html", "page.svg", "data.xml", "x.jpg.html", "x.JPG.svg", ".jpg",
                "noextension", "x.tiff", "x.php"}) {
            Files.write(dataset.resolve(name), new byte[] {1});
            assertTrue(files.resolve("/" + name).isEmpty(), "must refuse " + name);
        }
        Files.write(dataset.resolve("UPPER.JPG"), new byte[] {1});
        assertTrue(files.resolve("/UPPER.JPG").isPresent());
    }

    @Test
    void refusesALinkedFolderInsideThatLeadsOutThroughASecondLink() throws IOException {
        Path hop = Files.createDirectories(dataset.resolve("hop"));
        Files.createSymbolicLink(hop.resolve("up"), base.toAbsolutePath());
        Files.createSymbolicLink(dataset.resolve("inner"), hop.toAbsolutePath());
        assertTrue(files.resolve("/inner/up/secret.png").isEmpty());
        assertTrue(files.resolve("/hop/up/secret.png").isEmpty());
    }
}
