package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.TestDirs;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.testing.TestDualEncoders;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code search --text} through {@link Main} with the real engine and a generated dual encoder. */
class CliTextSearchTest {

    private static final Map<String, Float> HUES = new LinkedHashMap<>();
    private static final List<String> WORDS = List.of("red", "green", "blue", "flowers", "红色");

    static {
        HUES.put("red", 0.0f);
        HUES.put("green", 0.33f);
        HUES.put("blue", 0.66f);
    }

    private final Map<String, String> env = new HashMap<>();
    private Path dataset;

    @BeforeEach
    void setUp() throws Exception {
        Path dir = TestDirs.fresh("cli-text");
        dataset = dir.resolve("images");
        long seed = 1;
        for (Map.Entry<String, Float> e : HUES.entrySet()) {
            List<BufferedImage> family = TestImages.colourFamily(e.getValue(), 5, 96, 72, seed++);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writeJpeg(family.get(i), dataset.resolve(e.getKey()).resolve(e.getKey() + i + ".jpg"));
            }
        }
        Path model = TestModels.colourModel(dir.resolve("models/image.onnx"));
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Map.Entry<String, Float> e : HUES.entrySet()) {
            colours.put(e.getKey(), Color.getHSBColor(e.getValue(), 0.8f, 0.8f));
        }
        Path text;
        try (OnnxEmbedder image = OnnxEmbedder.open(model, AppConfig.Device.CPU)) {
            Map<String, float[]> rows = new HashMap<>(TestDualEncoders.colourRows(colours, image::embed));
            rows.put("红色", rows.get("red"));
            text = TestDualEncoders.textModel(dir.resolve("models/text_model.onnx"), WORDS, rows,
                    image.embed(TestImages.solid(TestDualEncoders.PAD_DIRECTION, 256, 256)),
                    TestDualEncoders.Shape.clipLike());
        }
        Path tokenizer = TestDualEncoders.wordTokenizer(dir.resolve("models/tokenizer.json"), WORDS, false);
        env.put("ARTIFACTS_DIR", dir.resolve("artifacts").toString());
        env.put("DATASET_DIR", dataset.toString());
        env.put("MODEL_PATH", model.toString());
        env.put("ORT_DEVICE", "cpu");
        env.put("TEXT_MODEL_PATH", text.toString());
        env.put("TOKENIZER_PATH", tokenizer.toString());
    }

    @Test
    void textSearchRanksTheNamedColourFirst() {
        Run build = run("build-index");
        assertEquals(0, build.code, build.err);
        for (String query : List.of("red flowers", "Blue", "红色")) {
            String expected = query.contains("红") ? "red" : query.toLowerCase().split(" ")[0];
            Run search = run("search", "--text", query, "--topk", "6");
            assertEquals(0, search.code, search.err);
            List<String[]> hits = hits(search.out);
            assertEquals(6, hits.size(), search.out);
            for (int i = 0; i < 5; i++) {
                assertEquals(expected, hits.get(i)[3], query + ": " + search.out);
            }
            assertFalse(hits.get(5)[3].equals(expected), query + ": " + search.out);
        }
    }

    @Test
    void withoutATextModelTheErrorNamesTheVariables() {
        env.remove("TEXT_MODEL_PATH");
        env.remove("TOKENIZER_PATH");
        assertEquals(0, run("build-index").code);
        Run search = run("search", "--text", "red");
        assertEquals(1, search.code);
        assertTrue(search.err.startsWith("error: ") && search.err.contains("TEXT_MODEL_PATH"), search.err);
        assertEquals("", search.out);
        // a tokenizer without a text model is a configuration error
        env.put("TOKENIZER_PATH", "/nowhere/tokenizer.json");
        Run config = run("search", "--text", "red");
        assertEquals(2, config.code);
        assertTrue(config.err.contains("TEXT_MODEL_PATH"), config.err);
    }

    /** rank, similarity, path, label of each result, read as JSON (the API's field names). */
    private static List<String[]> hits(String json) {
        List<String[]> hits = new ArrayList<>();
        for (JsonObject o : Json.createReader(new StringReader(json)).readObject().getJsonArray("results")
                .getValuesAs(JsonObject.class)) {
            hits.add(new String[] {String.valueOf(o.getInt("rank")), o.getJsonNumber("similarity").toString(),
                    o.getString("path"), o.getString("label")});
        }
        return hits;
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, EngineCommands::new, false, false)
                .run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
    }
}
