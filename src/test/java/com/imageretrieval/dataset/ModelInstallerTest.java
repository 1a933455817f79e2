package com.imageretrieval.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.LocalHttpServer;
import com.imageretrieval.testing.TestDirs;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ModelInstallerTest {

    private static final byte[] MODEL = DownloaderTest.randomBytes(50_000, 7);

    private Path dir;
    private LocalHttpServer server;
    private final ModelInstaller installer = new ModelInstaller(new Downloader(2, Duration.ofMillis(10)));

    @BeforeEach
    void setUp() throws IOException {
        dir = TestDirs.fresh("install-model");
        server = new LocalHttpServer();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private AppConfig config(URI url, String sha) {
        Map<String, String> m = new HashMap<>();
        m.put("MODEL_PATH", dir.resolve("models/resnet50.onnx").toString());
        m.put("MODEL_URL", url.toString());
        if (sha != null) {
            m.put("MODEL_SHA256", sha);
        }
        return AppConfig.of(m);
    }

    @Test
    void downloadsAndVerifiesWithModelSha256() throws Exception {
        server.serve("/m.onnx", MODEL, LocalHttpServer.Ranges.SUPPORTED, 0);
        AppConfig config = config(server.uri("/m.onnx"), DownloaderTest.sha256(MODEL));

        ModelInstaller.Result r = installer.install(config, InstallListener.silent());

        assertEquals(ModelInstaller.Outcome.DOWNLOADED, r.outcome());
        assertEquals(DownloaderTest.sha256(MODEL), r.sha256());
        assertArrayEquals(MODEL, Files.readAllBytes(config.modelPath()));
    }

    @Test
    void aWrongDigestLeavesNoModelAndNamesPathAndUrl() throws Exception {
        server.serve("/m.onnx", MODEL, LocalHttpServer.Ranges.SUPPORTED, 0);
        AppConfig config = config(server.uri("/m.onnx"), "ab".repeat(32));

        IOException e = assertThrows(IOException.class, () -> installer.install(config, InstallListener.silent()));

        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(config.modelPath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(config.modelUrl().toString()), e.getMessage());
        assertFalse(Files.exists(config.modelPath()));
    }

    @Test
    void anExistingModelIsUsedWithoutTheNetwork() throws Exception {
        server.status("/m.onnx", 500);
        AppConfig config = config(server.uri("/m.onnx"), null);
        Files.createDirectories(config.modelPath().getParent());
        Files.write(config.modelPath(), MODEL);

        ModelInstaller.Result r = installer.install(config, InstallListener.silent());

        assertEquals(ModelInstaller.Outcome.ALREADY_PRESENT, r.outcome());
        assertNull(r.sha256());
        assertEquals(0, server.requests().size());
    }

    @Test
    void anExistingModelIsCheckedWhenModelSha256IsSet() throws Exception {
        AppConfig good = config(server.uri("/m.onnx"), DownloaderTest.sha256(MODEL));
        Files.createDirectories(good.modelPath().getParent());
        Files.write(good.modelPath(), MODEL);
        assertEquals(DownloaderTest.sha256(MODEL), installer.install(good, InstallListener.silent()).sha256());

        AppConfig bad = config(server.uri("/m.onnx"), "cd".repeat(32));
        IOException e = assertThrows(IOException.class, () -> installer.install(bad, InstallListener.silent()));
        assertTrue(e.getMessage().contains("MODEL_SHA256"), e.getMessage());
        assertArrayEquals(MODEL, Files.readAllBytes(bad.modelPath()), "the user's file is kept");
    }

    @Test
    void aMissingModelThatCannotBeFetchedNamesPathAndUrl() {
        server.status("/gone.onnx", 404);
        AppConfig config = config(server.uri("/gone.onnx"), null);

        IOException e = assertThrows(IOException.class, () -> installer.install(config, InstallListener.silent()));

        assertTrue(e.getMessage().contains(config.modelPath().toString()), e.getMessage());
        assertTrue(e.getMessage().contains(server.uri("/gone.onnx").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Offline"), e.getMessage());
    }

    @Test
    void theDefaultUrlHasABuiltInDigest() {
        AppConfig defaults = AppConfig.of(Map.of());
        assertEquals(ModelInstaller.RESNET50_V1_7_SHA256, ModelInstaller.expectedSha256(defaults));
        assertTrue(ModelInstaller.RESNET50_V1_7_SHA256.matches("[0-9a-f]{64}"));
        assertNull(ModelInstaller.expectedSha256(config(URI.create("https://example.org/other.onnx"), null)));
        String mine = "12".repeat(32);
        assertEquals(mine, ModelInstaller.expectedSha256(AppConfig.of(Map.of("MODEL_SHA256", mine))));
    }
}
