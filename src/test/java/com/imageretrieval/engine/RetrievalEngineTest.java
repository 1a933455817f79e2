package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.IndexStore;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetrievalEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private AppConfig config() {
        return AppConfig.of(Map.of(
                "ARTIFACTS_DIR", tmp.resolve("artifacts").toString(),
                "DATASET_DIR", tmp.resolve("dataset").toString(),
                "MODEL_PATH", tmp.resolve("models/resnet50.onnx").toString()));
    }

    private Path dataset() {
        return TestDatasets.colours(tmp.resolve("dataset"), 6);
    }

    private static EmbedderFactory fake(FakeEmbedder e) {
        return c -> e;
    }

    /** Blocks the engine's build thread before each model batch until {@code gate} opens; searches pass freely. */
    private static FakeEmbedder gated(String hash, CountDownLatch gate) {
        return new FakeEmbedder(hash).beforeBatch(waitOn(gate));
    }

    /** Holds the model runs of builds (they run on the builder's "index-model" threads), never a search's. */
    private static IntConsumer waitOn(CountDownLatch gate) {
        return n -> {
            if (Thread.currentThread().getName().startsWith("index-model")) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        };
    }

    private String modelMessage() {
        return "model not found at " + tmp.resolve("models/resnet50.onnx").toAbsolutePath()
                + ": set MODEL_PATH or run `download-model` (MODEL_URL=" + AppConfig.DEFAULT_MODEL_URL + ")";
    }

    private String datasetMessage() {
        return "dataset not found at " + tmp.resolve("dataset").toAbsolutePath()
                + ": set DATASET_DIR or run `download-data` (DATASET_URL=" + AppConfig.DEFAULT_DATASET_URL + ")";
    }

    private static IndexSnapshot ready(RetrievalEngine engine) throws InterruptedException {
        assertTrue(engine.awaitIdle(WAIT), "the build ends");
        return engine.snapshot().orElseThrow(() -> new AssertionError(engine.status()));
    }

    @Test
    void aMissingModelIsReportedWithTheExactFix() throws Exception {
        dataset();
        try (RetrievalEngine engine = RetrievalEngine.open(config())) {
            EngineStatus s = engine.status();
            assertEquals(new EngineStatus(false, false, false, 0, "degraded", modelMessage()), s);
            NotReadyException e = assertThrows(NotReadyException.class,
                    () -> engine.search(TestImages.noisyColour(Color.RED, 1, 10, 10), 5));
            assertEquals(modelMessage(), e.getMessage());
            assertFalse(engine.rebuildAsync(null));
            assertThrows(NotReadyException.class, () -> engine.rebuild(null));
            assertTrue(engine.embedder().isEmpty());
        }
        // a factory failing the same way (the ONNX loader on a missing file) gives the same message
        try (RetrievalEngine engine = RetrievalEngine.open(config(), c -> {
            throw new NoSuchFileException(c.modelPath().toString());
        })) {
            assertEquals(modelMessage(), engine.status().message());
        }
    }

    @Test
    void aModelThatExistsButFailsToLoadSaysSo() throws Exception {
        dataset();
        Files.createDirectories(tmp.resolve("models"));
        Files.writeString(tmp.resolve("models/resnet50.onnx"), "junk");
        try (RetrievalEngine engine = RetrievalEngine.open(config(), c -> {
            throw new Exception("protobuf parse error");
        })) {
            assertEquals("model could not be loaded from " + tmp.resolve("models/resnet50.onnx")
                    + ": protobuf parse error", engine.status().message());
        }
    }

    @Test
    void aMissingOrEmptyDatasetIsReportedWithTheExactFixAndNeverBuilt() throws Exception {
        FakeEmbedder embedder = new FakeEmbedder("h1");
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder))) {
            assertEquals(new EngineStatus(true, false, false, 0, "degraded", datasetMessage()), engine.status());
            NotReadyException e = assertThrows(NotReadyException.class, () -> engine.rebuild(null));
            assertEquals(datasetMessage(), e.getMessage());
            assertFalse(engine.rebuildAsync(null));
        }
        Files.createDirectories(tmp.resolve("dataset/empty-class"));
        Files.writeString(tmp.resolve("dataset/README.txt"), "no images here");
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder))) {
            assertEquals(datasetMessage(), engine.status().message());
            assertThrows(NotReadyException.class, () -> engine.rebuild(null));
        }
        assertEquals(0, embedder.embeddedCount());
        // both missing: both messages
        Path other = tmp.resolve("elsewhere");
        AppConfig both = AppConfig.of(Map.of("ARTIFACTS_DIR", other.resolve("a").toString(),
                "DATASET_DIR", tmp.resolve("dataset").toString(),
                "MODEL_PATH", tmp.resolve("models/resnet50.onnx").toString()));
        try (RetrievalEngine engine = RetrievalEngine.open(both)) {
            assertEquals(modelMessage() + "; " + datasetMessage(), engine.status().message());
        }
    }

    @Test
    void firstStartBuildsTheIndexAndSearchesByImage() throws Exception {
        dataset();
        FakeEmbedder embedder = new FakeEmbedder("h1");
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder))) {
            IndexSnapshot snap = ready(engine);
            assertEquals(18, snap.size());
            EngineStatus s = engine.status();
            assertEquals(List.of(true, true, false, 18, "ok"), List.of(s.modelLoaded(), s.indexReady(),
                    s.building(), s.images(), s.state()));
            assertEquals("18 images indexed with fake-colour.onnx on cpu", s.message());
            assertEquals(18, engine.lastBuild().orElseThrow().embedded());
            assertTrue(engine.progress().isEmpty());

            for (Object[] c : new Object[][] {{new Color(210, 40, 35), "red"}, {new Color(20, 170, 50), "green"},
                    {new Color(35, 35, 190), "blue"}}) {
                List<SearchHit> hits = engine.search(TestImages.noisyColour((Color) c[0], 77, 50, 50), 6);
                assertEquals(6, hits.size());
                for (int i = 0; i < hits.size(); i++) {
                    assertEquals(c[1], hits.get(i).image().label(), hits.toString());
                    assertEquals(i + 1, hits.get(i).rank());
                }
                assertTrue(hits.get(0).similarity() >= hits.get(5).similarity());
            }
            float[] q = snap.vector(3);
            assertEquals(snap.images().get(3), engine.search(q, 1).get(0).image());

            // The timed search answers the same and charges its three stages (the web layer's histograms).
            java.awt.image.BufferedImage red = TestImages.noisyColour(new Color(210, 40, 35), 77, 50, 50);
            com.imageretrieval.metrics.SearchTimings t = new com.imageretrieval.metrics.SearchTimings();
            assertEquals(engine.search(red, 6, com.imageretrieval.index.SearchFilter.NONE), engine.search(red, 6, com.imageretrieval.index.SearchFilter.NONE, t));
            for (var stage : List.of(com.imageretrieval.metrics.SearchStage.PREPROCESS,
                    com.imageretrieval.metrics.SearchStage.INFERENCE, com.imageretrieval.metrics.SearchStage.SCAN)) {
                assertTrue(t.timed(stage), stage.toString());
            }
            assertFalse(t.timed(com.imageretrieval.metrics.SearchStage.UPLOAD));
        }
    }

    @Test
    void aBlockingRebuildRightAfterOpenWaitsForTheStartupBuild() throws Exception {
        dataset();
        CountDownLatch gate = new CountDownLatch(1);
        FakeEmbedder embedder = gated("h1", gate);
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder))) {
            EngineStatus building = engine.status();
            assertEquals("building", building.state());
            assertTrue(building.message().startsWith("no index found at "
                    + IndexStore.databaseFile(tmp.resolve("artifacts")) + ": the index is being rebuilt"),
                    building.message());
            ExecutorService cli = Executors.newSingleThreadExecutor();
            Future<BuildResult> result = cli.submit(() -> engine.rebuild(null));
            Thread.sleep(200);
            assertFalse(result.isDone(), "it waits for the automatic build instead of failing");
            gate.countDown();
            BuildResult r = result.get(60, TimeUnit.SECONDS);
            assertEquals(0, r.embedded());
            assertEquals(18, r.reused());
            assertEquals(18, embedder.embeddedCount(), "each image was embedded once");
            cli.shutdown();
        }
    }

    @Test
    void aCorruptIndexFileIsMovedAsideReportedAndRebuilt() throws Exception {
        dataset();
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(new FakeEmbedder("h1")))) {
            ready(engine);
        }
        Path db = IndexStore.databaseFile(tmp.resolve("artifacts"));
        byte[] junk = new byte[32 * 1024];
        new java.util.Random(5).nextBytes(junk);
        Files.write(db, junk);

        CountDownLatch gate = new CountDownLatch(1);
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(gated("h1", gate)))) {
            EngineStatus s = engine.status();
            assertEquals("building", s.state(), s.message());
            assertTrue(s.message().startsWith("the index file " + db + " was unreadable ("), s.message());
            assertTrue(s.message().contains("the index is being rebuilt"), s.message());
            try (var files = Files.list(db.getParent())) {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("index.mv.db.corrupt-"))
                        .count());
            }
            assertThrows(NotReadyException.class, () -> engine.search(new float[FakeEmbedder.DIMENSION], 3));
            gate.countDown();
            assertEquals(18, ready(engine).size());
            assertEquals("ok", engine.status().state());
        }
    }

    @Test
    void anIndexOfAnotherModelIsNotSearchedUntilRebuilt() throws Exception {
        dataset();
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(new FakeEmbedder("old")))) {
            ready(engine);
        }
        CountDownLatch gate = new CountDownLatch(1);
        FakeEmbedder fresh = gated("new", gate);
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(fresh))) {
            assertTrue(engine.snapshot().isEmpty());
            EngineStatus s = engine.status();
            assertEquals("building", s.state());
            assertTrue(s.message().contains("another model"), s.message());
            NotReadyException e = assertThrows(NotReadyException.class,
                    () -> engine.search(TestImages.noisyColour(Color.RED, 1, 10, 10), 3));
            assertTrue(e.getMessage().contains("being rebuilt"), e.getMessage());
            gate.countDown();
            IndexSnapshot snap = ready(engine);
            assertEquals("new", snap.metadata().modelHash());
            assertEquals(18, fresh.embeddedCount());
        }
    }

    @Test
    void searchesDuringABuildAnswerFromThePreviousSnapshot() throws Exception {
        Path dataset = dataset();
        CountDownLatch gate = new CountDownLatch(1);
        FakeEmbedder embedder = new FakeEmbedder("h1");
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder))) {
            IndexSnapshot old = ready(engine);
            List<SearchHit> expected = engine.search(TestImages.noisyColour(Color.YELLOW, 3, 40, 40), 5);

            for (int i = 0; i < 4; i++) {
                TestDatasets.write(dataset.resolve("yellow/y" + i + ".png"),
                        TestImages.noisyColour(Color.YELLOW, i, 40, 40));
            }
            embedder.beforeBatch(waitOn(gate));
            List<BuildProgress> seen = new CopyOnWriteArrayList<>();
            assertTrue(engine.rebuildAsync(seen::add));
            assertFalse(engine.rebuildAsync(null), "one build at a time");
            assertThrows(BuildInProgressException.class, () -> engine.rebuild(null));
            assertEquals("building", engine.status().state());

            ExecutorService users = Executors.newFixedThreadPool(4);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                answers.add(users.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        List<SearchHit> hits = engine.search(TestImages.noisyColour(Color.YELLOW, 3, 40, 40), 5);
                        assertEquals(expected, hits);
                        assertSame(old, engine.snapshot().orElseThrow());
                    }
                    return 50;
                }));
            }
            for (Future<Integer> f : answers) {
                assertEquals(50, f.get(60, TimeUnit.SECONDS));
            }
            users.shutdown();
            assertTrue(engine.status().building(), "the build was held the whole time");
            assertTrue(engine.progress().isPresent());

            gate.countDown();
            IndexSnapshot fresh = ready(engine);
            assertNotSame(old, fresh);
            assertEquals(22, fresh.size());
            assertEquals("yellow", engine.search(TestImages.noisyColour(Color.YELLOW, 3, 40, 40), 1).get(0)
                    .image().label());
            assertTrue(seen.get(seen.size() - 1).finished());
        }
    }

    @Test
    void aFailedBuildKeepsServingTheOldIndexInProcessAndAfterReopen() throws Exception {
        Path dataset = dataset();
        FakeEmbedder embedder = new FakeEmbedder("h1");
        IndexSnapshot old;
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder))) {
            old = ready(engine);
            Files.delete(dataset.resolve("red/red_000.jpg"));
            for (int i = 0; i < 10; i++) {
                TestDatasets.write(dataset.resolve("yellow/y" + i + ".png"),
                        TestImages.noisyColour(Color.YELLOW, i, 40, 40));
            }
            int before = embedder.embeddedCount();
            embedder.beforeBatch(n -> {
                if (n >= before + 4) {
                    throw new IllegalStateException("GPU fell off the bus");
                }
            });
            BuildFailedException e = assertThrows(BuildFailedException.class, () -> engine.rebuild(null));
            assertTrue(e.getMessage().contains("GPU fell off the bus"), e.getMessage());
            assertTrue(e.getMessage().contains("the previous index is still served"), e.getMessage());
            assertSame(old, engine.snapshot().orElseThrow());
            EngineStatus s = engine.status();
            assertEquals("ok", s.state());
            assertTrue(s.message().contains("the last build failed"), s.message());
            assertEquals("red/red_000.jpg", engine.search(old.vector(old.images().indexOf(
                    old.byPath("red/red_000.jpg").orElseThrow())), 1).get(0).image().path());
        }
        try (RetrievalEngine reopened = RetrievalEngine.open(config(), fake(new FakeEmbedder("h1")))) {
            IndexSnapshot again = reopened.snapshot().orElseThrow();
            assertEquals(old.images(), again.images());
            assertFalse(reopened.status().building(), "an intact index of the same model is not rebuilt on open");
        }
    }

    @Test
    void progressListenersGetEveryEventAndTheFinalOneAfterTheSwap() throws Exception {
        Path dataset = dataset();
        try (RetrievalEngine engine = RetrievalEngine.open(config(), fake(new FakeEmbedder("h1")))) {
            ready(engine);
            TestDatasets.write(dataset.resolve("yellow/y.png"), TestImages.noisyColour(Color.YELLOW, 1, 40, 40));
            List<BuildProgress> events = new CopyOnWriteArrayList<>();
            boolean[] swappedBeforeFinal = {false};
            engine.addProgressListener(p -> {
                throw new IllegalStateException("a broken subscriber");
            });
            engine.addProgressListener(p -> {
                events.add(p);
                if (p.finished()) {
                    swappedBeforeFinal[0] = engine.snapshot().orElseThrow().byPath("yellow/y.png").isPresent();
                }
            });
            BuildResult r = engine.rebuild(null);
            assertEquals(1, r.embedded());
            assertTrue(events.get(events.size() - 1).finished());
            assertEquals(19, events.get(events.size() - 1).done());
            assertTrue(swappedBeforeFinal[0]);
            assertEquals(r, engine.lastBuild().orElseThrow());
        }
    }

    @Test
    void closeStopsARunningBuildAndClosesTheModel() throws Exception {
        dataset();
        CountDownLatch gate = new CountDownLatch(1);
        FakeEmbedder embedder = gated("h1", gate);
        RetrievalEngine engine = RetrievalEngine.open(config(), fake(embedder));
        assertTrue(engine.status().building());
        engine.close();
        assertTrue(embedder.isClosed());
        assertFalse(engine.rebuildAsync(null));
        // the interrupted first build committed nothing
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            assertTrue(store.load().isEmpty());
        }
    }
}
