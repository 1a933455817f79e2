package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestDualEncoders;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import java.awt.Color;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text search end to end in the engine, with a generated dual encoder: the colour model as image encoder and a text
 * encoder whose colour words point where the image encoder puts images of those colours.
 */
class TextSearchEngineTest {

    /** The colours of TestDatasets.colours(). */
    static final Map<String, Color> COLOURS = new LinkedHashMap<>();
    static final List<String> WORDS = List.of("red", "green", "blue", "flowers", "a", "photo", "of", "红色", "绿色",
            "蓝色");

    static {
        COLOURS.put("red", new Color(200, 30, 30));
        COLOURS.put("green", new Color(30, 180, 40));
        COLOURS.put("blue", new Color(30, 40, 200));
    }

    @TempDir
    Path tmp;
    Path imageModel;
    Path textModel;
    Path tokenizer;

    @BeforeEach
    void models() throws Exception {
        imageModel = TestModels.colourModel(tmp.resolve("models/image.onnx"));
        Map<String, float[]> rows;
        try (OnnxEmbedder image = OnnxEmbedder.open(imageModel, AppConfig.Device.CPU)) {
            rows = new HashMap<>(TestDualEncoders.colourRows(COLOURS, image::embed));
            rows.put("红色", rows.get("red"));
            rows.put("绿色", rows.get("green"));
            rows.put("蓝色", rows.get("blue"));
            float[] pad = image.embed(TestImages.solid(TestDualEncoders.PAD_DIRECTION, 256, 256));
            textModel = TestDualEncoders.textModel(tmp.resolve("models/text.onnx"), WORDS, rows, pad,
                    TestDualEncoders.Shape.clipLike());
        }
        tokenizer = TestDualEncoders.wordTokenizer(tmp.resolve("models/tokenizer.json"), WORDS, false);
        TestDatasets.colours(tmp.resolve("dataset"), 6);
    }

    private AppConfig config(Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(Map.of(
                "ARTIFACTS_DIR", tmp.resolve("artifacts").toString(),
                "DATASET_DIR", tmp.resolve("dataset").toString(),
                "MODEL_PATH", imageModel.toString(),
                "ORT_DEVICE", "cpu"));
        m.putAll(extra);
        return AppConfig.of(m);
    }

    private AppConfig withText() {
        return config(Map.of("TEXT_MODEL_PATH", textModel.toString(), "TOKENIZER_PATH", tokenizer.toString()));
    }

    private static RetrievalEngine built(AppConfig config) throws Exception {
        RetrievalEngine engine = RetrievalEngine.open(config);
        assertTrue(engine.awaitIdle(java.time.Duration.ofSeconds(60)));
        engine.rebuild(null);
        return engine;
    }

    @Test
    void colourWordsFindImagesOfThatColour() throws Exception {
        try (RetrievalEngine engine = built(withText())) {
            assertTrue(engine.textSearchAvailable());
            for (String query : List.of("red flowers", "a photo of GREEN", "blue", "红色", "绿色 flowers", "蓝色")) {
                String expected = query.contains("red") || query.contains("红") ? "red"
                        : query.toLowerCase().contains("green") || query.contains("绿") ? "green" : "blue";
                List<SearchHit> hits = engine.searchText(query, 6, SearchFilter.NONE);
                assertEquals(6, hits.size(), query);
                for (SearchHit h : hits) {
                    assertEquals(expected, h.image().label(), query + ": " + hits);
                }
                assertTrue(hits.get(0).similarity() > 0.9f, query + ": " + hits.get(0));
                for (int i = 1; i < hits.size(); i++) {
                    assertTrue(hits.get(i - 1).similarity() >= hits.get(i).similarity(), query);
                }
                // the next colour comes only after all six of the asked one
                SearchHit seventh = engine.searchText(query, 7, SearchFilter.NONE).get(6);
                assertFalse(seventh.image().label().equals(expected), query);
            }
            // filters act as for an image query
            List<SearchHit> blueOnly = engine.searchText("red", 3, new SearchFilter("blue", null));
            assertEquals(3, blueOnly.size());
            assertTrue(blueOnly.stream().allMatch(h -> h.image().label().equals("blue")));
            // only unknown words: the generated encoder gives the zero vector, similar to nothing
            assertEquals(List.of(), engine.searchText("zebra 🦓", 5, SearchFilter.NONE));
            float cut = engine.searchText("red", 6, SearchFilter.NONE).get(2).similarity();
            assertEquals(3, engine.searchText("red", 6, new SearchFilter(null, cut)).size());
        }
    }

    @Test
    void withoutATextModelTextSearchIsUnavailableAndImageSearchUnchanged() throws Exception {
        List<SearchHit> before;
        try (RetrievalEngine engine = built(config(Map.of()))) {
            assertFalse(engine.textSearchAvailable());
            TextSearchUnavailableException e = assertThrows(TextSearchUnavailableException.class,
                    () -> engine.searchText("red", 3, SearchFilter.NONE));
            assertTrue(e.getMessage().contains("TEXT_MODEL_PATH"), e.getMessage());
            before = engine.search(TestImages.noisyColour(COLOURS.get("green"), 7, 64, 48), 10, SearchFilter.NONE);
        }
        try (RetrievalEngine engine = built(withText())) {
            List<SearchHit> after = engine.search(TestImages.noisyColour(COLOURS.get("green"), 7, 64, 48), 10,
                    SearchFilter.NONE);
            assertEquals(before, after);
        }
    }

    @Test
    void aTextModelOfAnotherDimensionIsRefusedWithTheReason() throws Exception {
        Path other = TestDualEncoders.textModel(tmp.resolve("models/text4.onnx"), WORDS,
                Map.of("red", new float[] {1, 0, 0, 0}), new float[4], TestDualEncoders.Shape.clipLike());
        AppConfig config = config(Map.of("TEXT_MODEL_PATH", other.toString(), "TOKENIZER_PATH", tokenizer.toString()));
        try (RetrievalEngine engine = built(config)) {
            assertFalse(engine.textSearchAvailable());
            TextSearchUnavailableException e = assertThrows(TextSearchUnavailableException.class,
                    () -> engine.searchText("red", 3, SearchFilter.NONE));
            assertTrue(e.getMessage().contains("4-d") && e.getMessage().contains(TestModels.colourChannels() + "-d"),
                    e.getMessage());
            // image search is not affected
            assertEquals(3, engine.search(TestImages.noisyColour(COLOURS.get("red"), 1, 64, 48), 3).size());
        }
    }

    @Test
    void aPreprocessingChangeWithTheSameFileReEmbedsEverything() throws Exception {
        try (RetrievalEngine engine = built(config(Map.of()))) {
            assertEquals(18, engine.snapshot().orElseThrow().size());
        }
        AppConfig clip = config(Map.of("MODEL_PREPROCESSING", "clip"));
        try (RetrievalEngine engine = RetrievalEngine.open(clip)) {
            assertTrue(engine.awaitIdle(java.time.Duration.ofSeconds(60)));
            BuildResult r = engine.lastBuild().orElseThrow(); // the automatic rebuild: the index was made otherwise
            assertEquals(18, r.embedded(), r.toString());
            assertTrue(engine.snapshot().orElseThrow().metadata().modelHash().endsWith("+clip"));
            assertEquals(0, engine.rebuild(null).embedded());
        }
    }
}
