package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.testing.LocalHttpServer;
import com.imageretrieval.dataset.SafeTarExtractor;
import com.imageretrieval.testing.TarFixtures;
import com.imageretrieval.testing.TestDirs;
import com.imageretrieval.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {

    private Path dir;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Main.IndexCommandsFactory engine = () -> {
        throw new CommandFailedException("no engine in this test");
    };
    private boolean verbose;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("cli");
        env.put("ARTIFACTS_DIR", dir.resolve("artifacts").toString());
        env.put("DATASET_DIR", dir.resolve("dataset").toString());
        env.put("MODEL_PATH", dir.resolve("models/resnet50.onnx").toString());
    }

    private int run(String... args) {
        Main main = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get, engine, false, verbose);
        return main.run(args);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The error is the last line of stderr (messages of the steps before it may precede it), with no trace. */
    private void assertOneLineError(String expectedPart) {
        String[] lines = stderr().trim().split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("error: ") || last.startsWith("configuration error: "), last);
        assertTrue(last.contains(expectedPart), last);
        assertFalse(stderr().contains("\tat "), "no stack trace: " + stderr());
        assertFalse(stderr().contains("Exception"), "no exception names: " + stderr());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("help"));
        for (String c : List.of("download-data", "download-model", "build-index", "search", "--dataset-root",
                "--query", "--topk")) {
            assertTrue(stdout().contains(c), c);
        }
        assertEquals("", stderr());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, run());
        assertOneLineError("no command given");
        err.reset();
        assertEquals(2, run("frobnicate"));
        assertOneLineError("unknown command 'frobnicate'");
        err.reset();
        assertEquals(2, run("search", "--topk", "3"));
        assertOneLineError("search needs --query FILE");
        err.reset();
        assertEquals(2, run("search", "--query", "x.jpg", "--topk", "lots"));
        assertOneLineError("--topk: expected an integer, got 'lots'");
        assertEquals("", stdout());
    }

    @Test
    void aBadVariableIsOneLineNamingIt() {
        env.put("ORT_DEVICE", "tpu");
        assertEquals(2, run("download-model"));
        assertOneLineError("ORT_DEVICE");
    }

    @Test
    void downloadDataFromAFileUrlThenNothingToDo() throws Exception {
        Path tgz = TarFixtures.flowerLikeTgz(dir.resolve("flower_photos.tgz"));
        env.put("DATASET_URL", tgz.toUri().toString());

        assertEquals(0, run("download-data"), stderr());
        Path dataset = dir.resolve("dataset");
        assertTrue(Files.isRegularFile(dataset.resolve("roses/101.jpg")));
        assertTrue(SafeTarExtractor.isComplete(dataset));
        assertTrue(stdout().contains("16 files"), stdout());
        assertTrue(stdout().contains("downloaded and extracted"), stdout());
        assertTrue(stderr().contains("flower_photos.tgz"), stderr());

        out.reset();
        assertEquals(0, run("download-data"));
        assertTrue(stdout().contains("already present"), stdout());
    }

    @Test
    void downloadDataFailureIsOneLineAndExitOne() throws IOException {
        try (LocalHttpServer server = new LocalHttpServer().status("/flower_photos.tgz", 404)) {
            env.put("DATASET_URL", server.uri("/flower_photos.tgz").toString());
            assertEquals(1, run("download-data"));
        }
        assertOneLineError("HTTP 404");
        assertTrue(stderr().contains(dir.resolve("artifacts/flower_photos.tgz").toString()), "offline tip: " + stderr());
        assertFalse(Files.exists(dir.resolve("dataset")));
    }

    @Test
    void aHostileArchiveIsRefusedWithTheEntryNamed() throws Exception {
        Path tgz = new TarFixtures.Archive().file("top/a/1.jpg", "x")
                .special("top/a/link", TarConstants.LF_SYMLINK, "/etc/shadow").writeTgz(dir.resolve("evil.tgz"));
        env.put("DATASET_URL", tgz.toUri().toString());
        assertEquals(1, run("download-data"));
        assertOneLineError("'top/a/link'");
        assertFalse(Files.exists(dir.resolve("dataset")));
    }

    @Test
    void verboseAddsTheStackTrace() {
        verbose = true;
        env.put("DATASET_URL", dir.resolve("nothing-here.tgz").toUri().toString());
        assertEquals(1, run("download-data"));
        assertTrue(stderr().contains("\tat "), stderr());
    }

    @Test
    void downloadModelChecksTheDigest() throws Exception {
        byte[] model = "not really onnx, but bytes all the same".getBytes(StandardCharsets.UTF_8);
        Path src = dir.resolve("model-source.onnx");
        Files.write(src, model);
        env.put("MODEL_URL", src.toUri().toString());
        env.put("MODEL_SHA256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model)));

        assertEquals(0, run("download-model"), stderr());
        assertTrue(stdout().contains("sha256 " + env.get("MODEL_SHA256")), stdout());
        assertEquals(model.length, Files.size(dir.resolve("models/resnet50.onnx")));

        Files.delete(dir.resolve("models/resnet50.onnx"));
        env.put("MODEL_SHA256", "0".repeat(64));
        err.reset();
        assertEquals(1, run("download-model"));
        assertOneLineError("SHA-256 mismatch");
        assertFalse(Files.exists(dir.resolve("models/resnet50.onnx")));
    }

    @Test
    void searchPrintsTheApiSearchJsonWithoutUrls() throws IOException {
        Path query = dir.resolve("q.jpg");
        Files.writeString(query, "image bytes");
        FakeCommands fake = new FakeCommands();
        fake.hits = List.of(new Json.SearchResult(1, 0.97f, 4, "daisy/1.jpg", null, "daisy"),
                new Json.SearchResult(2, 0.5f, 9, "roses/a \"b\".jpg", null, "roses"));
        engine = () -> fake;

        assertEquals(0, run("search", "--query", query.toString(), "--topk", "2"), stderr());

        String json = stdout().replace(System.lineSeparator(), "\n");
        assertTrue(json.matches("\\{\"results\":\\[\\{\"id\":4,\"label\":\"daisy\",\"path\":\"daisy/1.jpg\",\"rank\":1,"
                + "\"similarity\":0.97},\\{\"id\":9,\"label\":\"roses\",\"path\":\"roses/a \\\\\"b\\\\\".jpg\",\"rank\":2,"
                + "\"similarity\":0.5}],\"tookMs\":\\d+,\"topK\":2}\n"), json);
        assertEquals(query.toAbsolutePath().normalize(), fake.query);
        assertEquals(2, fake.topK);
    }

    @Test
    void searchByTextPrintsTheSameJson() {
        FakeCommands fake = new FakeCommands();
        fake.hits = List.of(new Json.SearchResult(1, 0.9f, 3, "roses/1.jpg", null, "roses"));
        engine = () -> fake;
        assertEquals(0, run("search", "--text", "  red flowers ", "--topk", "5"), stderr());
        String json = stdout().replace(System.lineSeparator(), "\n");
        assertTrue(json.matches("\\{\"results\":\\[\\{\"id\":3,\"label\":\"roses\",\"path\":\"roses/1.jpg\",\"rank\":1,"
                + "\"similarity\":0.9}],\"tookMs\":\\d+,\"topK\":5}\n"), json);
        assertEquals("red flowers", fake.text);
        assertEquals(5, fake.topK);
        err.reset();
        assertEquals(2, run("search", "--text", "red", "--query", "x.jpg"));
        assertOneLineError("not both");
        err.reset();
        assertEquals(2, run("search", "--text", " "));
        assertOneLineError("--text: the text to search for is empty");
    }

    @Test
    void searchUsesTopKFromTheEnvironmentByDefault() throws IOException {
        Path query = dir.resolve("q.jpg");
        Files.writeString(query, "image bytes");
        FakeCommands fake = new FakeCommands();
        engine = () -> fake;
        env.put("TOP_K", "7");
        assertEquals(0, run("search", "--query", query.toString()));
        assertEquals(7, fake.topK);
        assertTrue(stdout().trim().matches("\\{\"results\":\\[],\"tookMs\":\\d+,\"topK\":7}"), stdout());
    }

    @Test
    void searchWithAMissingQueryFileFails() {
        engine = FakeCommands::new;
        assertEquals(1, run("search", "--query", dir.resolve("none.jpg").toString()));
        assertOneLineError("query image not found");
    }

    @Test
    void engineErrorsBecomeOneLine() throws IOException {
        Path query = dir.resolve("q.jpg");
        Files.writeString(query, "image bytes");
        FakeCommands fake = new FakeCommands();
        fake.failure = new Exception("no index yet:\n run build-index");
        engine = () -> fake;
        assertEquals(1, run("search", "--query", query.toString()));
        assertOneLineError("no index yet: run build-index");
    }

    @Test
    void buildIndexReportsProgressAndASummary() throws IOException {
        Path root = dir.resolve("my-photos");
        Files.createDirectories(root.resolve("cats"));
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/resnet50.onnx"), "model");
        FakeCommands fake = new FakeCommands();
        engine = () -> fake;

        assertEquals(0, run("build-index", "--dataset-root", root.toString()), stderr());

        assertEquals(root.toAbsolutePath(), fake.config.datasetDir(), "--dataset-root overrides DATASET_DIR");
        assertEquals(dir.resolve("artifacts").toAbsolutePath(), fake.config.artifactsDir());
        assertTrue(stderr().contains("indexing 10/40 (25.0%)  failed 1  20.0 images/s  ETA 0:02"), stderr());
        assertTrue(stdout().contains("indexed 40 images in 0:02 (20.0 images/s): 39 embedded, 0 reused, 0 removed,"
                + " 1 failed"), stdout());
    }

    @Test
    void buildIndexNamesWhatIsMissing() throws IOException {
        engine = FakeCommands::new;
        assertEquals(1, run("build-index"));
        assertOneLineError("no dataset folder at " + dir.resolve("dataset") + " (DATASET_DIR); run download-data");

        Files.createDirectories(dir.resolve("dataset"));
        err.reset();
        assertEquals(1, run("build-index"));
        assertOneLineError("no model at " + dir.resolve("models/resnet50.onnx") + " (MODEL_PATH); run download-model");
        assertTrue(stderr().contains(AppConfig.DEFAULT_MODEL_URL), stderr());
    }

    @Test
    void anEngineThatCannotStartGivesAOneLineError() throws IOException {
        Files.createDirectories(dir.resolve("dataset"));
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/resnet50.onnx"), "model");
        assertEquals(1, run("build-index"));
        assertOneLineError("no engine in this test");
    }

    /** Records what Main passes to the engine side, and plays back fixed answers. */
    static final class FakeCommands implements IndexCommands {
        AppConfig config;
        Path query;
        String text;
        int topK;
        List<Json.SearchResult> hits = new ArrayList<>();
        Exception failure;
        EvaluationResult evaluation;
        DuplicateReport duplicateReport;
        double threshold;

        @Override
        public Summary buildIndex(AppConfig config, Consumer<Progress> progress) {
            this.config = config;
            progress.accept(new Progress(10, 40, 1, 20.0, 2));
            return new Summary(40, 39, 0, 0, 1, 2_000, 20.0);
        }

        @Override
        public List<Json.SearchResult> search(AppConfig config, Path queryImage, int topK) throws Exception {
            if (failure != null) {
                throw failure;
            }
            this.config = config;
            this.query = queryImage;
            this.topK = topK;
            return hits;
        }

        @Override
        public List<Json.SearchResult> searchText(AppConfig config, String text, int topK) throws Exception {
            if (failure != null) {
                throw failure;
            }
            this.config = config;
            this.text = text;
            this.topK = topK;
            return hits;
        }

        @Override
        public EvaluationResult evaluate(AppConfig config) throws Exception {
            if (failure != null) {
                throw failure;
            }
            this.config = config;
            return evaluation;
        }

        @Override
        public DuplicateReport duplicates(AppConfig config, double threshold) throws Exception {
            if (failure != null) {
                throw failure;
            }
            this.config = config;
            this.threshold = threshold;
            return duplicateReport;
        }
    }
}
