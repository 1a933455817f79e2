package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.testing.TestDatasets;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INDEX_BACKEND=opensearch with nothing listening at OPENSEARCH_URL: degraded, naming the setting; never a crash. */
class UnreachableOpenSearchTest {

    @TempDir
    Path tmp;

    @Test
    void anUnreachableClusterDegradesWithTheSettingToCheck() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TestDatasets.colours(tmp.resolve("dataset"), 2);
        AppConfig config = AppConfig.of(Map.of("ARTIFACTS_DIR", tmp.resolve("artifacts").toString(),
                "DATASET_DIR", tmp.resolve("dataset").toString(), "INDEX_BACKEND", "opensearch",
                "OPENSEARCH_URL", "http://127.0.0.1:" + port, "OPENSEARCH_TIMEOUT_SECONDS", "2"));
        try (RetrievalEngine engine = RetrievalEngine.open(config, c -> new FakeEmbedder("h"))) {
            assertTrue(engine.awaitIdle(Duration.ofSeconds(30)));
            EngineStatus s = engine.status();
            assertEquals("degraded", s.state());
            assertFalse(s.indexReady());
            assertTrue(s.message().contains("OPENSEARCH_URL") && s.message().contains("127.0.0.1:" + port),
                    s.message());
            NotReadyException e = assertThrows(NotReadyException.class, () -> engine.search(new float[12], 3));
            assertTrue(e.getMessage().contains("OPENSEARCH_URL"), e.getMessage());
            assertThrows(BuildFailedException.class, () -> engine.rebuild(null));
        }
    }
}
