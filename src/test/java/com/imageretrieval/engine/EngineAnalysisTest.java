package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.analysis.DuplicateGroup;
import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.RetrievalMetrics;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.index.SimilarImages;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filtered search, more-like-this, evaluation and duplicates through the engine, on generated images. */
class EngineAnalysisTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private AppConfig config() {
        return AppConfig.of(Map.of(
                "ARTIFACTS_DIR", tmp.resolve("artifacts").toString(),
                "DATASET_DIR", tmp.resolve("dataset").toString(),
                "MODEL_PATH", tmp.resolve("models/colour.onnx").toString()));
    }

    private static IndexSnapshot ready(RetrievalEngine engine) throws InterruptedException {
        assertTrue(engine.awaitIdle(WAIT), "the build ends");
        return engine.snapshot().orElseThrow(() -> new AssertionError(engine.status()));
    }

    private static void assertPerfect(RetrievalMetrics m) {
        assertEquals(1.0, m.p1(), 0.0);
        assertEquals(1.0, m.map(), 0.0);
    }

    @Test
    void colourClassesWithTheFakeModelArePerfectAndTheResultIsCachedPerBuild() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 12);
        try (RetrievalEngine engine = RetrievalEngine.open(config(), c -> new FakeEmbedder("h1"))) {
            ready(engine);
            EvaluationResult r = engine.evaluation();
            assertPerfect(r.overall());
            // 11 relevant among 35 ranked: the first 10 are all relevant
            assertEquals(1.0, r.overall().p5(), 0.0);
            assertEquals(1.0, r.overall().p10(), 0.0);
            assertEquals(36, r.images());
            assertEquals(36, r.queries());
            for (String label : List.of("blue", "green", "red")) {
                assertPerfect(r.perClass().get(label));
                assertEquals(Map.of(label, 12), r.confusion().get(label));
            }
            assertSame(r, engine.evaluation(), "cached");
            IndexSnapshot before = engine.snapshot().orElseThrow();
            engine.rebuild(null);  // nothing changed: a new snapshot instance with the same content
            assertNotSame(before, engine.snapshot().orElseThrow());
            assertSame(r, engine.evaluation(), "still cached: same images, same vectors");
            // a changed index is evaluated again
            TestDatasets.write(tmp.resolve("dataset/red/red_new.png"),
                    TestImages.noisyColour(new Color(200, 30, 30), 555, 64, 48));
            engine.rebuild(null);
            EvaluationResult again = engine.evaluation();
            assertNotSame(r, again);
            assertEquals(37, again.images());
            assertPerfect(again.overall());
        }
    }

    @Test
    void colourClassesWithTheDesignedOnnxModelArePerfect() throws Exception {
        Path model = TestModels.colourModel(tmp.resolve("models/colour.onnx"));
        float[] hues = {0f, 0.33f, 0.66f};
        String[] names = {"red", "green", "blue"};
        for (int c = 0; c < hues.length; c++) {
            List<BufferedImage> family = TestImages.colourFamily(hues[c], 8, 40, 30, 100 + c);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writePng(family.get(i), tmp.resolve("dataset").resolve(names[c]).resolve(i + ".png"));
            }
        }
        try (RetrievalEngine engine = RetrievalEngine.open(config(),
                c -> OnnxEmbedder.open(model, AppConfig.Device.CPU))) {
            ready(engine);
            EvaluationResult r = engine.evaluation();
            assertPerfect(r.overall());
            assertEquals(24, r.queries());
            for (String label : names) {
                assertPerfect(r.perClass().get(label));
                assertEquals(Map.of(label, 8), r.confusion().get(label));
            }
        }
    }

    @Test
    void similarAndFilteredSearchThroughTheEngine() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 6);
        try (RetrievalEngine engine = RetrievalEngine.open(config(), c -> new FakeEmbedder("h1"))) {
            IndexSnapshot snap = ready(engine);
            ImageRecord red = snap.byPath("red/red_002.jpg").orElseThrow();
            SimilarImages answer = engine.similar(red.id(), 5, SearchFilter.NONE);
            assertEquals(red, answer.image(), "the image asked about comes with its neighbours");
            List<SearchHit> similar = answer.hits();
            assertEquals(5, similar.size());
            assertTrue(similar.stream().noneMatch(h -> h.image().id() == red.id()), "itself left out");
            assertTrue(similar.stream().allMatch(h -> h.image().label().equals("red")));
            assertEquals(snap.similar(red.id(), 5, SearchFilter.NONE).orElseThrow().hits(), similar);

            List<SearchHit> green = engine.similar(red.id(), 3, SearchFilter.label("green")).hits();
            assertEquals(3, green.size());
            assertTrue(green.stream().allMatch(h -> h.image().label().equals("green")));

            BufferedImage query = TestImages.noisyColour(new Color(200, 30, 30), 99, 64, 48);
            List<SearchHit> all = engine.search(query, 18);
            float cut = all.get(8).similarity();
            List<SearchHit> above = engine.search(query, 18, SearchFilter.minSimilarity(cut));
            assertEquals(all.stream().filter(h -> h.similarity() >= cut).toList(), above);
            assertTrue(above.size() >= 9 && above.size() < 18, "cut inside the list: " + above.size());

            ImageNotFoundException e = assertThrows(ImageNotFoundException.class,
                    () -> engine.similar(-42, 5, SearchFilter.NONE));
            assertEquals(-42, e.imageId());
            assertTrue(e.getMessage().contains("-42"), e.getMessage());
        }
    }

    @Test
    void notReadyWithoutAModel() {
        try (RetrievalEngine engine = RetrievalEngine.open(config())) {
            assertThrows(NotReadyException.class, () -> engine.similar(1, 5, SearchFilter.NONE));
            assertThrows(NotReadyException.class, engine::evaluation);
            assertThrows(NotReadyException.class, () -> engine.duplicates(0.98));
        }
    }

    @Test
    void duplicatesGroupByteCopiesByHashAndReEncodingsByThreshold() throws Exception {
        Path data = tmp.resolve("dataset");
        BufferedImage photo = TestImages.noisyColour(new Color(200, 30, 30), 7, 64, 48);
        Path original = TestImages.writePng(photo, data.resolve("red/a.png"));
        Files.createDirectories(data.resolve("copies"));
        Files.copy(original, data.resolve("copies/a_copy.png"));
        Files.write(data.resolve("red/a_reencoded.jpg"), TestImages.jpeg(photo, 0.85f));
        TestImages.writePng(TestImages.gradient(64, 48, 3), data.resolve("red/other.png"));
        TestImages.writePng(TestImages.noisyColour(new Color(30, 180, 40), 8, 64, 48), data.resolve("green/b.png"));
        TestImages.writePng(TestImages.noisyColour(new Color(30, 40, 200), 9, 64, 48), data.resolve("blue/c.png"));
        try (RetrievalEngine engine = RetrievalEngine.open(config(), c -> new FakeEmbedder("h1"))) {
            ready(engine);
            DuplicateReport near = engine.duplicates(0.98);
            assertEquals(6, near.images());
            assertEquals(1, near.groups().size(), near.toString());
            DuplicateGroup g = near.groups().get(0);
            assertEquals(List.of("copies/a_copy.png", "red/a.png", "red/a_reencoded.jpg"),
                    g.members().stream().map(m -> m.image().path()).toList());
            assertFalse(g.exact());
            assertEquals(List.of(true, true, false), g.members().stream().map(DuplicateGroup.Member::identical)
                    .toList());
            assertTrue(g.members().get(2).similarity() >= 0.98f && g.members().get(2).similarity() < 1f,
                    "re-encoded: close, not equal: " + g.members().get(2).similarity());
            assertSame(near, engine.duplicates(0.98), "cached");

            // at threshold 1 only the byte-identical pair is left, grouped by its hash
            DuplicateReport exact = engine.duplicates(1.0);
            assertEquals(1, exact.groups().size(), exact.toString());
            DuplicateGroup copies = exact.groups().get(0);
            assertTrue(copies.exact());
            assertEquals(copies.members().get(0).image().sha256(), copies.sha256());
            assertEquals(List.of("copies/a_copy.png", "red/a.png"),
                    copies.members().stream().map(m -> m.image().path()).toList());
            assertThrows(IllegalArgumentException.class, () -> engine.duplicates(2));
        }
    }
}
