package com.imageretrieval.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppConfigTest {

    @Test
    void defaultsAreTheSeedsAndPathsAreAbsolute() {
        AppConfig c = AppConfig.of(Map.of());
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals(cwd.resolve("data/artifacts"), c.artifactsDir());
        assertEquals(cwd.resolve("data/dataset"), c.datasetDir());
        assertEquals(cwd.resolve("data/models/resnet50.onnx"), c.modelPath());
        assertEquals(AppConfig.Device.AUTO, c.ortDevice());
        assertEquals(12, c.topK());
        assertEquals(10L * 1024 * 1024, c.maxUploadBytes());
        assertEquals("/dataset", c.staticPrefix());
        assertEquals(AppConfig.DEFAULT_DATASET_URL, c.datasetUrl().toString());
        assertNull(c.adminToken());
        assertNull(c.modelSha256());
        assertTrue(c.autoDownload());
    }

    @Test
    void valuesOverrideDefaults() {
        AppConfig c = AppConfig.of(Map.of("TOP_K", "5", "ORT_DEVICE", "CUDA", "MAX_UPLOAD_MB", "2",
                "DATASET_DIR", "/srv/images/../images", "ADMIN_TOKEN", "s3cret", "AUTO_DOWNLOAD", "off",
                "STATIC_PREFIX", "/img/data"));
        assertEquals(5, c.topK());
        assertEquals(AppConfig.Device.CUDA, c.ortDevice());
        assertEquals(2L * 1024 * 1024, c.maxUploadBytes());
        assertEquals(Path.of("/srv/images"), c.datasetDir());
        assertEquals("s3cret", c.adminToken());
        assertFalse(c.autoDownload());
        assertEquals("/img/data", c.staticPrefix());
        assertEquals("(set)", c.describe().get("ADMIN_TOKEN"), "the token itself is never logged");
    }

    @Test
    void systemPropertiesComeBeforeTheEnvironment() {
        String name = "TOP_K";
        String old = System.getProperty(name);
        System.setProperty(name, "7");
        try {
            assertEquals(7, AppConfig.fromEnvironment().topK());
        } finally {
            if (old == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, old);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void metricsAreForTheAdminByDefaultAndOnOrOffBySetting() {
        assertEquals(AppConfig.MetricsAccess.ADMIN, AppConfig.of(Map.of()).metrics());
        assertEquals(AppConfig.MetricsAccess.ON, AppConfig.of(Map.of("METRICS", "on")).metrics());
        assertEquals(AppConfig.MetricsAccess.OFF, AppConfig.of(Map.of("METRICS", " OFF ")).metrics());
        assertEquals("admin", AppConfig.of(Map.of()).describe().get("METRICS"));
    }

    @ParameterizedTest
    @CsvSource({
        "TOP_K, 0", "TOP_K, 101", "TOP_K, twelve", "MAX_UPLOAD_MB, -1", "ORT_DEVICE, tpu",
        "DATASET_URL, ftp://example.org/x.tgz", "MODEL_URL, 'http://exa mple'", "MODEL_SHA256, abc",
        "STATIC_PREFIX, dataset", "STATIC_PREFIX, '/../x'", "AUTO_DOWNLOAD, maybe", "METRICS, public"
    })
    void aBadValueStopsStartUpNamingTheVariable(String name, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.of(Map.of(name, value)));
        assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
    }
}
