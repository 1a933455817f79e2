package com.imageretrieval.index;

import com.imageretrieval.common.Checksums;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBuilderTest {

    @TempDir
    Path tmp;

    private Path dataset() {
        return TestDatasets.colours(tmp.resolve("dataset"), 6);
    }

    private BuildResult build(IndexStore store, FakeEmbedder embedder, Path dataset, ProgressListener l)
            throws Exception {
        return new IndexBuilder(store, embedder, new ImageDecoder(40_000_000), dataset).batchSize(4).build(l);
    }

    @Test
    void fullBuildIndexesEveryImageWithTheEmbeddersVectors() throws Exception {
        Path dataset = dataset();
        FakeEmbedder embedder = new FakeEmbedder("h1");
        List<BuildProgress> events = new ArrayList<>();
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            BuildResult r = build(store, embedder, dataset, events::add);
            assertEquals(List.of(18, 18, 0, 0, 0), List.of(r.total(), r.embedded(), r.reused(), r.removed(),
                    r.failed()));
            assertEquals(18, embedder.embeddedCount());
            IndexSnapshot s = store.load().orElseThrow();
            assertEquals(18, s.size());
            assertEquals(Map.of("blue", 6, "green", 6, "red", 6), s.classCounts());
            assertEquals(new IndexMetadata("fake-colour.onnx", "h1", FakeEmbedder.DIMENSION, "cpu",
                    s.metadata().builtAt(), 18), s.metadata());
            for (int row = 0; row < s.size(); row++) {
                ImageRecord rec = s.images().get(row);
                Path file = dataset.resolve(rec.path());
                float[] expected = FakeEmbedder.vectorOf(embedder.preprocess(
                        new ImageDecoder(40_000_000).decode(file).image()));
                assertArrayEquals(expected, s.vector(row), 0f, rec.path());
                assertEquals(Checksums.sha256Hex(Files.readAllBytes(file)), rec.sha256());
                assertEquals(List.of(64, 48), List.of(rec.width(), rec.height()));
                assertEquals(Files.size(file), rec.size());
            }
            // the designed embedder ranks same-colour images first
            int red = s.images().indexOf(s.byPath("red/red_000.jpg").orElseThrow());
            List<SearchHit> hits = s.search(s.vector(red), 6);
            assertTrue(hits.stream().allMatch(h -> h.image().label().equals("red")), hits.toString());
        }
        BuildProgress last = events.get(events.size() - 1);
        assertEquals(new BuildProgress(18, 18, 0, last.imagesPerSecond(), 0, true), last);
        assertEquals(1, events.stream().filter(BuildProgress::finished).count());
        for (int i = 1; i < events.size(); i++) {
            assertTrue(events.get(i).done() >= events.get(i - 1).done(), "done never goes back");
        }
        assertTrue(events.size() >= 18 / 4, "at least one event per batch: " + events.size());
    }

    @Test
    void incrementalBuildReusesUnchangedEmbedsChangedAndRemovesDeleted() throws Exception {
        Path dataset = dataset();
        FakeEmbedder first = new FakeEmbedder("h1");
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            build(store, first, dataset, ProgressListener.none());
            IndexSnapshot before = store.load().orElseThrow();
            long keptId = before.byPath("green/green_001.png").orElseThrow().id();

            // add one, change the content of one, remove one, touch one (same bytes, new mtime)
            TestDatasets.write(dataset.resolve("yellow/new.png"), TestImages.noisyColour(Color.YELLOW, 5, 40, 40));
            TestDatasets.write(dataset.resolve("red/red_001.png"), TestImages.noisyColour(Color.BLUE, 99, 64, 48));
            Files.delete(dataset.resolve("blue/blue_002.jpg"));
            Path touched = dataset.resolve("green/green_001.png");
            Files.setLastModifiedTime(touched, FileTime.fromMillis(Files.getLastModifiedTime(touched).toMillis()
                    + 60_000));

            FakeEmbedder second = new FakeEmbedder("h1");
            BuildResult r = build(store, second, dataset, ProgressListener.none());
            assertEquals(18, r.total());
            assertEquals(2, r.embedded(), "the new and the changed file");
            assertEquals(16, r.reused(), "15 untouched + 1 with only a new mtime");
            assertEquals(1, r.removed());
            assertEquals(0, r.failed());
            assertEquals(2, second.embeddedCount());

            IndexSnapshot after = store.load().orElseThrow();
            assertEquals(18, after.size());
            assertTrue(after.byPath("blue/blue_002.jpg").isEmpty());
            assertEquals(1, after.classCounts().get("yellow"));
            ImageRecord kept = after.byPath("green/green_001.png").orElseThrow();
            assertEquals(keptId, kept.id(), "a touched file keeps its row");
            assertEquals(Files.getLastModifiedTime(touched).toMillis(), kept.mtime(), "and gets the new mtime");
            int changed = after.images().indexOf(after.byPath("red/red_001.png").orElseThrow());
            assertTrue(after.vector(changed)[2] > after.vector(changed)[0], "the changed file now embeds as blue");

            // nothing changed: nothing is read or embedded
            FakeEmbedder third = new FakeEmbedder("h1");
            BuildResult again = build(store, third, dataset, ProgressListener.none());
            assertEquals(List.of(0, 18, 0, 0), List.of(again.embedded(), again.reused(), again.removed(),
                    again.failed()));
            assertEquals(0, third.embeddedCount());
            assertEquals(after.images(), store.load().orElseThrow().images());
        }
    }

    @Test
    void unreadableFilesAreCountedAndSkipped() throws Exception {
        Path dataset = dataset();
        Files.write(dataset.resolve("red/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        Files.write(dataset.resolve("green/empty.png"), new byte[0]);
        Files.writeString(dataset.resolve("blue/text.png"), "not an image");
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            List<BuildProgress> events = new ArrayList<>();
            BuildResult r = build(store, new FakeEmbedder("h1"), dataset, events::add);
            assertEquals(21, r.total());
            assertEquals(18, r.embedded());
            assertEquals(3, r.failed());
            assertEquals(3, events.get(events.size() - 1).failed());
            IndexSnapshot s = store.load().orElseThrow();
            assertEquals(18, s.size());
            assertTrue(s.byPath("red/broken.jpg").isEmpty());
            assertEquals(18, s.metadata().count());

            // a file that decoded before and is now broken loses its row (its vector describes lost content)
            Files.write(dataset.resolve("red/red_000.jpg"), new byte[] {1, 2, 3});
            BuildResult r2 = build(store, new FakeEmbedder("h1"), dataset, ProgressListener.none());
            assertEquals(4, r2.failed());
            assertTrue(store.load().orElseThrow().byPath("red/red_000.jpg").isEmpty());
        }
    }

    @Test
    void rowsOfAnotherModelAreReembedded() throws Exception {
        Path dataset = dataset();
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            build(store, new FakeEmbedder("old-model"), dataset, ProgressListener.none());
            FakeEmbedder fresh = new FakeEmbedder("new-model");
            BuildResult r = build(store, fresh, dataset, ProgressListener.none());
            assertEquals(18, r.embedded());
            assertEquals(0, r.reused());
            assertEquals(18, fresh.embeddedCount());
            assertEquals("new-model", store.load().orElseThrow().metadata().modelHash());
            assertTrue(store.storedImages().values().stream().allMatch(s -> s.modelHash().equals("new-model")));
        }
    }

    @Test
    void aBuildThatFailsMidwayLeavesThePreviousIndexIntact() throws Exception {
        Path dataset = dataset();
        Path artifacts = tmp.resolve("artifacts");
        IndexSnapshot before;
        try (IndexStore store = IndexStore.open(artifacts)) {
            build(store, new FakeEmbedder("h1"), dataset, ProgressListener.none());
            before = store.load().orElseThrow();

            // changes to pick up, then a model that dies on its second batch
            Files.delete(dataset.resolve("red/red_000.jpg"));
            TestDatasets.write(dataset.resolve("yellow/y.png"), TestImages.noisyColour(Color.YELLOW, 1, 30, 30));
            FakeEmbedder dying = new FakeEmbedder("h2").beforeBatch(done -> {
                if (done >= 4) {
                    throw new IllegalStateException("simulated crash in the model");
                }
            });
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> build(store, dying, dataset, ProgressListener.none()));
            assertEquals("simulated crash in the model", e.getMessage());
            assertTrue(dying.embeddedCount() >= 4, "it did write some rows before dying");
            assertSame(before, store.load().orElseThrow());

            // a listener that throws is a cancel: same outcome
            int[] calls = {0};
            assertThrows(IllegalStateException.class, () -> build(store, new FakeEmbedder("h3"), dataset, p -> {
                if (++calls[0] == 3) {
                    throw new IllegalStateException("cancelled");
                }
            }));
            assertSame(before, store.load().orElseThrow());
        }
        try (IndexStore reopened = IndexStore.open(artifacts)) {
            assertSame(before, reopened.load().orElseThrow());
        }
    }

    /** Same rows, ids, vectors and metadata. */
    static void assertSame(IndexSnapshot expected, IndexSnapshot actual) {
        assertEquals(expected.images(), actual.images());
        assertEquals(expected.metadata(), actual.metadata());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.vector(i), actual.vector(i));
        }
    }

    @Test
    void theDatasetMustExist() throws Exception {
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            assertThrows(java.io.IOException.class,
                    () -> build(store, new FakeEmbedder("h"), tmp.resolve("missing"), ProgressListener.none()));
            assertFalse(store.load().isPresent());
        }
    }

    @Test
    void parallelProducersGiveTheSameIndex() throws Exception {
        Path dataset = dataset();
        IndexSnapshot one;
        IndexSnapshot three;
        try (IndexStore store = IndexStore.open(tmp.resolve("a1"))) {
            new IndexBuilder(store, new FakeEmbedder("h"), new ImageDecoder(1 << 24), dataset).producers(1)
                    .batchSize(5).build(ProgressListener.none());
            one = store.load().orElseThrow();
        }
        try (IndexStore store = IndexStore.open(tmp.resolve("a3"))) {
            new IndexBuilder(store, new FakeEmbedder("h"), new ImageDecoder(1 << 24), dataset).producers(3)
                    .batchSize(2).build(ProgressListener.none());
            three = store.load().orElseThrow();
        }
        assertSameContent(one, three);
        assertNotEquals(0, one.size());
    }

    /** Same paths, contents and vectors in path order; ids follow the order rows were written, which may differ. */
    static void assertSameContent(IndexSnapshot expected, IndexSnapshot actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            ImageRecord a = expected.images().get(i);
            ImageRecord b = actual.images().get(i);
            assertEquals(a.path(), b.path());
            assertEquals(a.sha256(), b.sha256());
            assertArrayEquals(expected.vector(i), actual.vector(i));
        }
    }

    @Test
    void anEmbedderThatRunsTwoAtOnceGetsTwoBatchesInFlightAndTheSameIndex() throws Exception {
        Path dataset = dataset();
        IndexSnapshot serial;
        try (IndexStore store = IndexStore.open(tmp.resolve("p1"))) {
            new IndexBuilder(store, new FakeEmbedder("h"), new ImageDecoder(1 << 24), dataset).batchSize(2)
                    .build(ProgressListener.none());
            serial = store.load().orElseThrow();
        }
        // Each batch takes a while, so a builder that keeps two in flight is seen running two at once.
        FakeEmbedder two = new FakeEmbedder("h").parallelRuns(2).beforeBatch(done -> sleep(40));
        try (IndexStore store = IndexStore.open(tmp.resolve("p2"))) {
            new IndexBuilder(store, two, new ImageDecoder(1 << 24), dataset).batchSize(2)
                    .build(ProgressListener.none());
            assertSameContent(serial, store.load().orElseThrow());
        }
        assertEquals(2, two.mostRunningAtOnce(), "two model runs overlapped, never more");

        FakeEmbedder one = new FakeEmbedder("h").beforeBatch(done -> sleep(20));
        try (IndexStore store = IndexStore.open(tmp.resolve("p3"))) {
            new IndexBuilder(store, one, new ImageDecoder(1 << 24), dataset).batchSize(2)
                    .build(ProgressListener.none());
        }
        assertEquals(1, one.mostRunningAtOnce(), "one run at a time when the embedder says so");
    }

    @Test
    void aModelThatFailsWithTwoBatchesInFlightLeavesThePreviousIndexAndNoRunningThreads() throws Exception {
        Path dataset = dataset();
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            build(store, new FakeEmbedder("h1"), dataset, ProgressListener.none());
            IndexSnapshot before = store.load().orElseThrow();
            FakeEmbedder dying = new FakeEmbedder("h2").parallelRuns(2).beforeBatch(done -> {
                sleep(10);
                if (done >= 4) {
                    throw new IllegalStateException("simulated crash in the model");
                }
            });
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new IndexBuilder(store, dying, new ImageDecoder(1 << 24), dataset).batchSize(2)
                            .build(ProgressListener.none()));
            assertEquals("simulated crash in the model", e.getMessage());
            assertSame(before, store.load().orElseThrow());
            Thread.sleep(50);
            assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("index-") && t.isAlive()).count(),
                    "no reader or model thread outlives the build");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- issue 10: no single file fails a build

    @Test
    void aFileOverTheLimitAndAnUnreadableFileFailAloneAndTheRestIsCommitted() throws Exception {
        Path dataset = dataset();
        // 3 GiB, sparse (no disk used): before, readAllBytes on it failed every build with OutOfMemoryError.
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(dataset.resolve("red/huge.jpg").toFile(),
                "rw")) {
            huge.setLength(3L * 1024 * 1024 * 1024);
        }
        Files.write(dataset.resolve("blue/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 1, 2, 3});
        Path locked = Files.copy(dataset.resolve("green").resolve(Files.list(dataset.resolve("green")).findFirst()
                .orElseThrow().getFileName()), dataset.resolve("green/locked.jpg"));
        boolean canLock = locked.toFile().setReadable(false) && !Files.isReadable(locked); // not as root
        try (IndexStore store = IndexStore.open(tmp.resolve("artifacts"))) {
            BuildResult r = new IndexBuilder(store, new FakeEmbedder("h1"), new ImageDecoder(40_000_000), dataset)
                    .maxFileBytes(50L * 1024 * 1024).build(ProgressListener.none());
            assertEquals(canLock ? 3 : 2, r.failed(), r.toString());
            assertEquals(canLock ? 18 : 19, store.load().orElseThrow().size(), "everything else is committed");
            Map<String, String> reasons = new java.util.HashMap<>();
            r.failures().forEach(f -> reasons.put(f.path(), f.reason()));
            assertTrue(reasons.get("red/huge.jpg").contains("MAX_FILE_MB=50"), reasons.toString());
            assertEquals("corrupt or truncated image", reasons.get("blue/broken.png"));
            if (canLock) {
                assertEquals("cannot be read: permission denied", reasons.get("green/locked.jpg"));
            }
            for (String reason : reasons.values()) {
                assertFalse(reason.contains(tmp.toString()), "no absolute path: " + reason);
            }
            assertTrue(r.withoutFailures().failures().isEmpty());
            // The next build is not blocked by them: a file added now is indexed.
            Files.copy(dataset.resolve("blue/broken.png").resolveSibling(Files.list(dataset.resolve("blue"))
                    .filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png"))
                    .filter(p -> !p.getFileName().toString().equals("broken.png")).findFirst().orElseThrow()
                    .getFileName()), dataset.resolve("blue/added.jpg"));
            BuildResult next = new IndexBuilder(store, new FakeEmbedder("h1"), new ImageDecoder(40_000_000), dataset)
                    .maxFileBytes(50L * 1024 * 1024).build(ProgressListener.none());
            assertEquals(1, next.embedded(), next.toString());
            assertTrue(store.load().orElseThrow().images().stream().anyMatch(i -> i.path().equals("blue/added.jpg")));
        } finally {
            locked.toFile().setReadable(true);
        }
    }

    @Test
    void readingStopsAtTheLimitEvenWhenTheSizeLied() throws Exception {
        Path f = Files.write(tmp.resolve("a.jpg"), new byte[1000]);
        assertEquals(1000, IndexBuilder.readAtMost(f, 1000).length);
        assertThrows(java.io.IOException.class, () -> IndexBuilder.readAtMost(f, 999));
    }
}
