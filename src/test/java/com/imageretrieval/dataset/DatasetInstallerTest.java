package com.imageretrieval.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.LocalHttpServer;
import com.imageretrieval.testing.TarFixtures;
import com.imageretrieval.testing.TestDirs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DatasetInstallerTest {

    private Path dir;
    private LocalHttpServer server;
    private final DatasetInstaller installer =
            new DatasetInstaller(new Downloader(2, Duration.ofMillis(10)), new SafeTarExtractor());

    @BeforeEach
    void setUp() throws IOException {
        dir = TestDirs.fresh("install-data");
        server = new LocalHttpServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private AppConfig config(URI datasetUrl) {
        return AppConfig.of(Map.of(
                "ARTIFACTS_DIR", dir.resolve("artifacts").toString(),
                "DATASET_DIR", dir.resolve("dataset").toString(),
                "DATASET_URL", datasetUrl.toString()));
    }

    @Test
    void usesAnArchiveAlreadyInArtifactsWithoutTheNetwork() throws Exception {
        server.status("/flower_photos.tgz", 500); // any request would be seen, and would fail
        AppConfig config = config(server.uri("/flower_photos.tgz"));
        Files.createDirectories(config.artifactsDir());
        TarFixtures.flowerLikeTgz(config.artifactsDir().resolve("flower_photos.tgz"));
        DownloaderTest.Recorder rec = new DownloaderTest.Recorder();

        DatasetInstaller.Result r = installer.install(config, rec);

        assertEquals(DatasetInstaller.Outcome.EXTRACTED_LOCAL_ARCHIVE, r.outcome());
        assertEquals(0, server.requests().size(), "no network");
        assertEquals(List.of("daisy", "dandelion", "roses", "sunflowers", "tulips"), subfolders(config.datasetDir()));
        assertEquals(16, r.files());
        assertTrue(DatasetInstaller.isInstalled(config.datasetDir()));
        assertTrue(rec.infos.stream().anyMatch(m -> m.contains("no download")), rec.infos.toString());
    }

    @Test
    void downloadsThenExtractsAndLaterDoesNothing() throws Exception {
        byte[] tgz = Files.readAllBytes(TarFixtures.flowerLikeTgz(dir.resolve("served.tgz")));
        server.serve("/data/flower_photos.tgz", tgz, LocalHttpServer.Ranges.SUPPORTED, 0);
        AppConfig config = config(server.uri("/data/flower_photos.tgz"));

        DatasetInstaller.Result first = installer.install(config, InstallListener.silent());
        assertEquals(DatasetInstaller.Outcome.DOWNLOADED_AND_EXTRACTED, first.outcome());
        assertTrue(Files.isRegularFile(config.artifactsDir().resolve("flower_photos.tgz")));
        assertTrue(Files.isRegularFile(config.datasetDir().resolve("tulips/102.jpg")));

        DatasetInstaller.Result second = installer.install(config, InstallListener.silent());
        assertEquals(DatasetInstaller.Outcome.ALREADY_PRESENT, second.outcome());
        assertEquals(16, second.files());
        assertEquals(1, server.count("/data/flower_photos.tgz"));
    }

    @Test
    void leavesAUsersOwnCollectionAlone() throws Exception {
        AppConfig config = config(server.uri("/flower_photos.tgz"));
        Files.createDirectories(config.datasetDir().resolve("cats"));
        Files.writeString(config.datasetDir().resolve("cats/1.jpg"), "mine");

        DatasetInstaller.Result r = installer.install(config, InstallListener.silent());

        assertEquals(DatasetInstaller.Outcome.USER_PROVIDED, r.outcome());
        assertEquals("mine", Files.readString(config.datasetDir().resolve("cats/1.jpg")));
        assertEquals(0, server.requests().size());
    }

    @Test
    void aMissingArchiveOnADeadServerNamesTheUrlAndTheOfflineRoute() {
        server.status("/flower_photos.tgz", 404);
        AppConfig config = config(server.uri("/flower_photos.tgz"));

        IOException e = assertThrows(IOException.class, () -> installer.install(config, InstallListener.silent()));

        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains(config.artifactsDir().resolve("flower_photos.tgz").toString()), e.getMessage());
        assertFalse(Files.exists(config.datasetDir()));
        assertFalse(Files.exists(config.artifactsDir().resolve("flower_photos.tgz")));
    }

    @Test
    void aHostileArchiveNeverLooksInstalled() throws Exception {
        AppConfig config = config(server.uri("/flower_photos.tgz"));
        Files.createDirectories(config.artifactsDir());
        new TarFixtures.Archive().file("flower_photos/daisy/1.jpg", "ok")
                .special("flower_photos/daisy/x", TarConstants.LF_SYMLINK, "/etc/passwd")
                .writeTgz(config.artifactsDir().resolve("flower_photos.tgz"));

        IOException e = assertThrows(IOException.class, () -> installer.install(config, InstallListener.silent()));
        assertTrue(e.getMessage().contains("flower_photos/daisy/x"), e.getMessage());
        assertFalse(DatasetInstaller.isInstalled(config.datasetDir()));
        assertFalse(Files.exists(config.datasetDir()));
        // A second run refuses again rather than trusting a half-made folder.
        assertThrows(IOException.class, () -> installer.install(config, InstallListener.silent()));
    }

    @Test
    void archiveNameComesFromTheUrlAndStaysInArtifacts() {
        assertEquals("flower_photos.tgz",
                DatasetInstaller.archiveFileName(URI.create("https://h/x/flower_photos.tgz?sig=1")));
        assertEquals("dataset.tgz", DatasetInstaller.archiveFileName(URI.create("https://h/")));
        assertEquals("dataset.tgz", DatasetInstaller.archiveFileName(URI.create("https://h/a/..")));
        assertEquals("a_b.tgz", DatasetInstaller.archiveFileName(URI.create("https://h/a%20b.tgz")));
    }

    private static List<String> subfolders(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(Files::isDirectory).map(x -> x.getFileName().toString()).sorted()
                    .collect(Collectors.toList());
        }
    }
}
