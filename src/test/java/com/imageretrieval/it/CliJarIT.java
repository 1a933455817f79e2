package com.imageretrieval.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged CLI jar, as a user runs it: {@code java -jar target/image-retrieval-cli.jar}. This proves the
 * assembly (merged ImageIO and JDBC service files, the ONNX Runtime native library inside the jar) as well as the
 * commands: build-index then search finds the query file first with similarity >= 0.999.
 */
class CliJarIT {


    @Test
    void buildIndexThenSearchWithTheRunnableJar() throws Exception {
        Path work = Path.of(System.getProperty("it.work", "target/it")).resolve("CliJarIT");
        buildThenSearch(work, List.of("ARTIFACTS_DIR=" + work.resolve("artifacts")));
    }

    /** The same commands with INDEX_BACKEND=opensearch: the jar carries its own JSON-P (the WAR uses the server's). */
    @Test
    void buildIndexThenSearchInOpenSearchMode() throws Exception {
        Path work = Path.of(System.getProperty("it.work", "target/it")).resolve("CliJarIT-opensearch");
        List<String> env = new ArrayList<>(List.of("ARTIFACTS_DIR=" + work.resolve("artifacts")));
        OpenSearchMode.environment("cli").forEach((k, v) -> env.add(k + "=" + v));
        buildThenSearch(work, env);
        assertTrue(Files.notExists(work.resolve("artifacts/index/index.mv.db")), "no H2 file in opensearch mode");
    }

    private void buildThenSearch(Path work, List<String> backend) throws Exception {
        Path war = Path.of(System.getProperty("it.war", "target/image-retrieval.war"));
        Path jar = war.resolveSibling("image-retrieval-cli.jar");
        assertTrue(Files.isRegularFile(jar), "built by mvn package: " + jar);

        ApiContractIT.deleteTree(work);
        Path dataset = work.resolve("photos");
        String[] labels = {"red", "green", "blue", "yellow"};
        float[] hues = {0.0f, 0.33f, 0.66f, 0.16f};
        for (int c = 0; c < labels.length; c++) {
            List<BufferedImage> family = TestImages.colourFamily(hues[c], 4, 120, 90, 40 + c);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writeJpeg(family.get(i), dataset.resolve(labels[c]).resolve(i + ".jpg"));
            }
        }
        Path model = TestModels.logitsModel(work.resolve("models/resnet-like.onnx"));

        List<String> env = new ArrayList<>(backend);
        env.addAll(List.of("MODEL_PATH=" + model, "DATASET_DIR=" + work.resolve("unused"), "ORT_DEVICE=auto"));
        Result build = java(jar, env, "build-index", "--dataset-root", dataset.toString());
        assertEquals(0, build.code, build.err);
        assertTrue(build.out.contains("16 embedded"), build.out);

        Result search = java(jar, env, "search", "--query", dataset.resolve("blue/2.jpg").toString(), "--topk", "5");
        assertEquals(0, search.code, search.err);
        List<String[]> hits = new ArrayList<>();
        // rank, similarity, path, label of each result, read as JSON (the API's field names)
        for (JsonObject o : Json.createReader(new StringReader(search.out)).readObject().getJsonArray("results")
                .getValuesAs(JsonObject.class)) {
            hits.add(new String[] {String.valueOf(o.getInt("rank")), o.getJsonNumber("similarity").toString(),
                    o.getString("path"), o.getString("label")});
        }
        assertEquals(5, hits.size(), search.out);
        assertEquals("blue/2.jpg", hits.get(0)[2], search.out);
        assertTrue(Float.parseFloat(hits.get(0)[1]) >= 0.999f, search.out);
        assertEquals("blue", hits.get(1)[3], search.out);

        Result bad = java(jar, env, "search", "--topk", "5");
        assertEquals(2, bad.code, "usage error");
        assertEquals(1, bad.err.trim().split("\\R").length, "one line: " + bad.err);
    }

    /**
     * search --text with the packaged jar: the tokenizer's native library comes out of the jar, offline, with a home
     * folder that cannot be written (so no DJL cache folder can be involved).
     */
    @Test
    void textSearchWithTheRunnableJar() throws Exception {
        Path war = Path.of(System.getProperty("it.war", "target/image-retrieval.war"));
        Path jar = war.resolveSibling("image-retrieval-cli.jar");
        Path work = Path.of(System.getProperty("it.work", "target/it")).resolve("CliJarIT-text");
        ApiContractIT.deleteTree(work);
        Path dataset = work.resolve("photos");
        java.util.Map<String, java.awt.Color> colours = new java.util.LinkedHashMap<>();
        String[] labels = {"red", "green", "blue"};
        float[] hues = {0.0f, 0.33f, 0.66f};
        for (int c = 0; c < labels.length; c++) {
            colours.put(labels[c], java.awt.Color.getHSBColor(hues[c], 0.8f, 0.8f));
            List<BufferedImage> family = TestImages.colourFamily(hues[c], 4, 120, 90, 60 + c);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writeJpeg(family.get(i), dataset.resolve(labels[c]).resolve(i + ".jpg"));
            }
        }
        com.imageretrieval.testing.TestDualEncoders.Files3 dual = com.imageretrieval.testing.TestDualEncoders
                .colourDualEncoder(work.resolve("models"), TestModels.colourModel(work.resolve(
                        "models/vision_model.onnx")), colours);
        List<String> env = List.of("ARTIFACTS_DIR=" + work.resolve("artifacts"), "MODEL_PATH=" + dual.image(),
                "TEXT_MODEL_PATH=" + dual.text(), "TOKENIZER_PATH=" + dual.tokenizer(),
                "DATASET_DIR=" + dataset, "ORT_DEVICE=cpu", "JAVA_TOOL_OPTIONS=-Duser.home=/proc/no-home");
        Result build = java(jar, env, "build-index");
        assertEquals(0, build.code, build.err);
        Result search = java(jar, env, "search", "--text", "green flowers", "--topk", "5");
        assertEquals(0, search.code, search.err);
        List<String> labelsFound = new ArrayList<>();
        for (JsonObject o : Json.createReader(new StringReader(search.out)).readObject().getJsonArray("results")
                .getValuesAs(JsonObject.class)) {
            labelsFound.add(o.getString("label"));
        }
        assertEquals(List.of("green", "green", "green", "green"), labelsFound.subList(0, 4), search.out);
        assertTrue(!labelsFound.get(4).equals("green"), search.out);
    }

    private static Result java(Path jar, List<String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String kv : env) {
            int eq = kv.indexOf('=');
            pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Path out = Files.createTempFile("cli-out", ".txt");
        Path err = Files.createTempFile("cli-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 5 minutes: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private record Result(int code, String out, String err) {
    }
}
