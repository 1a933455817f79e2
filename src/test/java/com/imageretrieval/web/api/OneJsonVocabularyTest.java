package com.imageretrieval.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.cli.EngineCommands;
import com.imageretrieval.cli.JsonText;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.TestDirs;
import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The CLI's JSON and the API's JSON of the same hits, duplicate groups and evaluation have the same field names:
 * the CLI path is {@link EngineCommands} + {@link JsonText} (what {@code search}, {@code duplicates} and
 * {@code evaluate} print), the API path is what the resources return, written by a default JSON-B as the servers do.
 * The CLI may only lack the image {@code url} (it has no server).
 */
class OneJsonVocabularyTest {

    @Test
    void theCliAndTheApiSpellEverySharedFieldTheSameWay() throws Exception {
        Path dir = TestDirs.fresh("one-json");
        Path dataset = dir.resolve("images");
        long seed = 1;
        for (Map.Entry<String, Float> e : Map.of("red", 0.0f, "blue", 0.66f).entrySet()) {
            List<BufferedImage> family = TestImages.colourFamily(e.getValue(), 3, 64, 48, seed++);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writeJpeg(family.get(i), dataset.resolve(e.getKey()).resolve(e.getKey() + i + ".jpg"));
            }
        }
        Files.copy(dataset.resolve("red/red0.jpg"), dataset.resolve("red/copy.jpg"));   // a byte-identical group
        AppConfig config = AppConfig.of(Map.of("ARTIFACTS_DIR", dir.resolve("artifacts").toString(),
                "DATASET_DIR", dataset.toString(), "ORT_DEVICE", "cpu",
                "MODEL_PATH", TestModels.colourModel(dir.resolve("colour.onnx")).toString()));
        Path query = dataset.resolve("red/red0.jpg");

        EngineCommands cli = new EngineCommands();
        cli.buildIndex(config, p -> { });
        String cliSearch = JsonText.write(new Json.Search(cli.search(config, query, 4), 4, 0));
        String cliDuplicates = JsonText.write(JsonAssembler.duplicates(cli.duplicates(config, 0.99),
                JsonAssembler.ImageUrls.NONE));
        String cliEvaluation = JsonText.write(JsonAssembler.evaluation(cli.evaluate(config)));

        String apiSearch;
        String apiDuplicates;
        String apiEvaluation;
        try (RetrievalEngine engine = RetrievalEngine.open(config); Jsonb jsonb = JsonbBuilder.create()) {
            engine.awaitIdle(java.time.Duration.ofMinutes(1));
            BufferedImage image = new ImageDecoder(config.maxImagePixels()).decode(query).image();
            apiSearch = jsonb.toJson(new Json.Search(SearchResource.results(engine.search(image, 4), "/app",
                    "/dataset"), 4, 0));
            apiDuplicates = jsonb.toJson(JsonAssembler.duplicates(engine.duplicates(0.99),
                    Links.images("/app", "/dataset")));
            apiEvaluation = jsonb.toJson(JsonAssembler.evaluation(engine.evaluation()));
        }

        assertTrue(apiSearch.contains("\"url\":\"/app/dataset/red/red0.jpg\""), apiSearch);
        assertFalse(cliSearch.contains("\"url\""), cliSearch);
        assertSameFieldNames(read(apiSearch), read(cliSearch), "search");
        assertTrue(apiDuplicates.contains("\"identical\":true"), "the copy makes one exact group: " + apiDuplicates);
        assertSameFieldNames(read(apiDuplicates), read(cliDuplicates), "duplicates");
        assertSameFieldNames(read(apiEvaluation), read(cliEvaluation), "evaluation");
    }

    private static JsonValue read(String json) {
        return jakarta.json.Json.createReader(new StringReader(json)).readValue();
    }

    /** Same structure and field names at every level, except that the CLI has no "url"; shared scalars equal. */
    private static void assertSameFieldNames(JsonValue api, JsonValue cli, String where) {
        assertEquals(api.getValueType(), cli.getValueType(), where);
        switch (api.getValueType()) {
            case OBJECT -> {
                JsonObject a = api.asJsonObject();
                JsonObject c = cli.asJsonObject();
                Set<String> expected = new HashSet<>(a.keySet());
                expected.remove("url");
                assertEquals(expected, c.keySet(), where);
                for (String key : c.keySet()) {
                    if (!key.equals("tookMs") && !key.equals("generatedAt")) {
                        assertSameFieldNames(a.get(key), c.get(key), where + "." + key);
                    }
                }
            }
            case ARRAY -> {
                assertEquals(api.asJsonArray().size(), cli.asJsonArray().size(), where);
                for (int i = 0; i < api.asJsonArray().size(); i++) {
                    assertSameFieldNames(api.asJsonArray().get(i), cli.asJsonArray().get(i), where + "[" + i + "]");
                }
            }
            default -> assertEquals(api, cli, where);
        }
    }
}
