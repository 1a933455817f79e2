package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.index.IndexStore;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.testing.TestDatasets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index held open by another process (say `build-index` running next to the server) is NOT corrupt: the engine
 * must report it and leave the file alone, never move it aside.
 */
class LockedIndexTest {

    @TempDir
    Path tmp;

    /** The child: opens the store, says so, and holds it until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (IndexStore store = IndexStore.open(Path.of(args[0]))) {
            System.out.println("OPEN " + store.file());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the database open
            }
        }
    }

    @Test
    void anIndexInUseByAnotherProcessIsReportedAndLeftAlone() throws Exception {
        Path artifacts = tmp.resolve("artifacts");
        TestDatasets.colours(tmp.resolve("dataset"), 2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockedIndexTest.class.getName(), artifacts.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("OPEN "), "child output: " + line);

            IndexStoreException e = org.junit.jupiter.api.Assertions.assertThrows(IndexStoreException.class,
                    () -> IndexStore.open(artifacts));
            assertTrue(e.inUse(), e.getMessage());
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());

            AppConfig config = AppConfig.of(Map.of("ARTIFACTS_DIR", artifacts.toString(),
                    "DATASET_DIR", tmp.resolve("dataset").toString()));
            try (RetrievalEngine engine = RetrievalEngine.open(config, c -> new FakeEmbedder("h"))) {
                EngineStatus s = engine.status();
                assertEquals("degraded", s.state());
                assertTrue(s.message().contains("in use by another process"), s.message());
                assertFalse(engine.rebuildAsync(null));
            }
            try (var files = Files.list(artifacts.resolve("index"))) {
                assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("corrupt")));
            }
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }
}
