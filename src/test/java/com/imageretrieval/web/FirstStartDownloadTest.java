package com.imageretrieval.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.TarFixtures;
import com.imageretrieval.testing.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's first-start fetch, with file:// URLs standing in for the network. */
class FirstStartDownloadTest {

    private Path dir;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        dir = TestDirs.fresh("first-start");
        Path source = Files.createDirectories(dir.resolve("remote"));
        Path model = Files.write(source.resolve("resnet50.onnx"), new byte[] {1, 2, 3, 4});
        Path archive = TarFixtures.flowerLikeTgz(source.resolve("flower_photos.tgz"));
        env.put("ARTIFACTS_DIR", dir.resolve("artifacts").toString());
        env.put("DATASET_DIR", dir.resolve("dataset").toString());
        env.put("MODEL_PATH", dir.resolve("models/resnet50.onnx").toString());
        env.put("MODEL_URL", model.toUri().toString());
        env.put("DATASET_URL", archive.toUri().toString());
    }

    @Test
    void fetchesAnAbsentModelAndDatasetOnce() throws IOException {
        AppConfig config = AppConfig.of(env);
        assertTrue(FirstStartDownload.needed(config));
        FirstStartDownload download = new FirstStartDownload(config);
        assertTrue(download.run(), "something new was installed");
        assertNull(download.state(), "no state once finished");
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(config.modelPath()));
        for (String label : TarFixtures.flowerLikeContent().keySet()) {
            assertTrue(Files.exists(config.datasetDir().resolve(label.substring(label.indexOf('/') + 1))), label);
        }
        assertFalse(FirstStartDownload.needed(config), "both exist now");
    }

    @Test
    void anExistingEmptyDatasetFolderIsTheOperatorsChoice() throws IOException {
        Files.createDirectories(dir.resolve("dataset"));
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/resnet50.onnx"), new byte[] {9});
        assertFalse(FirstStartDownload.needed(AppConfig.of(env)));
    }

    @Test
    void autoDownloadOffFetchesNothing() {
        env.put("AUTO_DOWNLOAD", "false");
        assertFalse(FirstStartDownload.needed(AppConfig.of(env)));
    }

    @Test
    void anUnreachableSourceIsLoggedNotThrown() {
        env.put("MODEL_URL", dir.resolve("remote/missing.onnx").toUri().toString());
        AppConfig config = AppConfig.of(env);
        assertFalse(new FirstStartDownload(config).run());
        assertFalse(Files.exists(config.modelPath()), "nothing half-done at MODEL_PATH");
    }
}
