package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.TestDirs;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * build-index then search through {@link Main} with the real engine, a generated logits model (so the pooled output
 * must be used) and generated colour-family images in labelled folders.
 */
class CliEndToEndTest {

    private static final Map<String, Float> HUES = Map.of("red", 0.0f, "green", 0.33f, "blue", 0.66f);

    private final Map<String, String> env = new HashMap<>();
    private Path dataset;

    @BeforeEach
    void setUp() throws IOException {
        Path dir = TestDirs.fresh("cli-e2e");
        dataset = dir.resolve("images");
        long seed = 1;
        for (Map.Entry<String, Float> e : HUES.entrySet()) {
            List<BufferedImage> family = TestImages.colourFamily(e.getValue(), 5, 96, 72, seed++);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writeJpeg(family.get(i), dataset.resolve(e.getKey()).resolve(e.getKey() + i + ".jpg"));
            }
        }
        Path model = TestModels.logitsModel(dir.resolve("models/logits.onnx"));
        env.put("ARTIFACTS_DIR", dir.resolve("artifacts").toString());
        env.put("DATASET_DIR", dir.resolve("unused-default").toString());
        env.put("MODEL_PATH", model.toString());
        env.put("ORT_DEVICE", "cpu");
    }

    @Test
    void buildIndexThenSearchFindsTheQueryFirstAndItsFamilyNext() throws IOException {
        Run build = run("build-index", "--dataset-root", dataset.toString());
        assertEquals(0, build.code, build.err);
        assertTrue(build.out.contains("15 embedded"), build.out);

        Path query = dataset.resolve("green/green3.jpg");
        Run search = run("search", "--query", query.toString(), "--topk", "5");
        assertEquals(0, search.code, search.err);
        assertTrue(search.out.startsWith("{\"results\":["), search.out);

        List<String[]> hits = new ArrayList<>();
        // rank, similarity, path, label of each result, read as JSON (the API's field names)
        for (JsonObject o : Json.createReader(new StringReader(search.out)).readObject().getJsonArray("results")
                .getValuesAs(JsonObject.class)) {
            hits.add(new String[] {String.valueOf(o.getInt("rank")), o.getJsonNumber("similarity").toString(),
                    o.getString("path"), o.getString("label")});
        }
        assertEquals(5, hits.size(), search.out);
        assertEquals("green/green3.jpg", hits.get(0)[2]);
        assertTrue(Float.parseFloat(hits.get(0)[1]) >= 0.999f, search.out);
        for (int i = 0; i < hits.size(); i++) {
            assertEquals(Integer.toString(i + 1), hits.get(i)[0]);
            assertEquals("green", hits.get(i)[3], "a green query ranks the green family first: " + search.out);
        }

        Run again = run("build-index", "--dataset-root", dataset.toString());
        assertEquals(0, again.code, again.err);
        assertTrue(again.out.contains("0 embedded") && again.out.contains("15 reused"), again.out);
    }

    @Test
    void searchWithAnUnreadableQueryFailsWithOneLine() throws IOException {
        assertEquals(0, run("build-index", "--dataset-root", dataset.toString()).code);
        Path bad = Files.writeString(dataset.getParent().resolve("notes.jpg"), "not an image");
        Run search = run("search", "--query", bad.toString(), "--topk", "3");
        assertEquals(1, search.code);
        assertEquals("", search.out);
        String[] lines = search.err.trim().split("\\R");
        assertTrue(lines[lines.length - 1].startsWith("error: cannot read the query image"), search.err);
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
