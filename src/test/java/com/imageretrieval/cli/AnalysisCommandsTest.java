package com.imageretrieval.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.analysis.DuplicateGroup;
import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.RetrievalMetrics;
import com.imageretrieval.testing.TestDirs;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.testing.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code evaluate} and {@code duplicates}: exact output for given results, options, and a run on the real engine. */
class AnalysisCommandsTest {

    private final Map<String, String> env = new HashMap<>();
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("cli-analysis");
        env.put("ARTIFACTS_DIR", dir.resolve("artifacts").toString());
        env.put("DATASET_DIR", dir.resolve("dataset").toString());
        env.put("MODEL_PATH", dir.resolve("models/model.onnx").toString());
        env.put("ORT_DEVICE", "cpu");
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(Main.IndexCommandsFactory commands, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Function<String, String> lookup = env::get;
        int code = new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), lookup, commands, false, false).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"),
                err.toString(StandardCharsets.UTF_8));
    }

    private static EvaluationResult sample() {
        return new EvaluationResult(new RetrievalMetrics(0.75, 0.5, 0.25, 0.625, 4),
                Map.of("roses", new RetrievalMetrics(1, 0.5, 0.3, 0.75, 2),
                        "daisy", new RetrievalMetrics(0.5, 0.5, 0.2, 0.5, 2)),
                Map.of("daisy", Map.of("daisy", 1, "roses", 1), "roses", Map.of("roses", 2)),
                5, 4, 1, 12, Instant.parse("2026-11-26T03:00:00Z"));
    }

    @Test
    void evaluatePrintsTheApiJson() {
        MainTest.FakeCommands fake = new MainTest.FakeCommands();
        fake.evaluation = sample();
        Run r = run(() -> fake, "evaluate");
        assertEquals(0, r.code, r.err);
        // JSON-B's order (lexicographic), as the API writes it; the figures keep their own order
        assertEquals("{\"confusion\":{\"daisy\":{\"daisy\":1,\"roses\":1},\"roses\":{\"roses\":2}},"
                + "\"generatedAt\":\"2026-11-26T03:00:00Z\",\"images\":5,"
                + "\"overall\":{\"p@1\":0.75,\"p@5\":0.5,\"p@10\":0.25,\"map\":0.625},"
                + "\"perClass\":{\"daisy\":{\"p@1\":0.5,\"p@5\":0.5,\"p@10\":0.2,\"map\":0.5},"
                + "\"roses\":{\"p@1\":1.0,\"p@5\":0.5,\"p@10\":0.3,\"map\":0.75}},"
                + "\"queries\":4,\"tookMs\":12,\"unlabelled\":1}\n", r.out);
        assertEquals(dir.resolve("artifacts").toString(), fake.config.artifactsDir().toString());
    }

    @Test
    void evaluateTablePrintsAlignedFiguresAndTheConfusion() {
        MainTest.FakeCommands fake = new MainTest.FakeCommands();
        fake.evaluation = sample();
        Run r = run(() -> fake, "evaluate", "--table");
        assertEquals(0, r.code, r.err);
        assertEquals("""
                class    queries     P@1     P@5    P@10     mAP
                daisy          2   0.500   0.500   0.200   0.500
                roses          2   1.000   0.500   0.300   0.750
                overall        4   0.750   0.500   0.250   0.625

                5 labelled images, 4 queries (leave-one-out), 1 unlabelled left out, 12 ms

                Top-1 confusion (rows: query class, columns: class of the first result)
                          daisy   roses
                daisy         1       1
                roses         0       2
                """, r.out);
    }

    @Test
    void duplicatesPrintsGroupsWithTheDefaultOrGivenThreshold() {
        MainTest.FakeCommands fake = new MainTest.FakeCommands();
        ImageRecord a = new ImageRecord(1, "daisy/a.jpg", "daisy", 10, 0, "abc", 4, 4);
        ImageRecord b = new ImageRecord(7, "x/a copy.jpg", "x", 10, 0, "abc", 4, 4);
        ImageRecord c = new ImageRecord(9, "daisy/b.jpg", "daisy", 10, 0, "def", 4, 4);
        fake.duplicateReport = new DuplicateReport(0.98, 30, 2, List.of(
                new DuplicateGroup(true, "abc", List.of(new DuplicateGroup.Member(a, 1f, true),
                        new DuplicateGroup.Member(b, 1f, true))),
                new DuplicateGroup(false, null, List.of(new DuplicateGroup.Member(c, 0.5f, false)))),
                3, Instant.parse("2026-11-26T03:00:00Z"));
        Run r = run(() -> fake, "duplicates");
        assertEquals(0, r.code, r.err);
        assertEquals(0.98, fake.threshold);
        // as the API writes it, less the urls: no sha256 for a near-duplicate group, no null fields
        assertEquals("{\"generatedAt\":\"2026-11-26T03:00:00Z\",\"groups\":["
                + "{\"exact\":true,\"images\":["
                + "{\"id\":1,\"identical\":true,\"label\":\"daisy\",\"path\":\"daisy/a.jpg\",\"similarity\":1.0},"
                + "{\"id\":7,\"identical\":true,\"label\":\"x\",\"path\":\"x/a copy.jpg\",\"similarity\":1.0}],"
                + "\"sha256\":\"abc\"},"
                + "{\"exact\":false,\"images\":["
                + "{\"id\":9,\"identical\":false,\"label\":\"daisy\",\"path\":\"daisy/b.jpg\",\"similarity\":0.5}]}],"
                + "\"images\":30,\"pairs\":2,\"threshold\":0.98,\"tookMs\":3}\n", r.out);

        assertEquals(0, run(() -> fake, "duplicates", "--threshold", "0.9").code);
        assertEquals(0.9, fake.threshold);
    }

    @Test
    void badOptionsAreUsageErrors() {
        MainTest.FakeCommands fake = new MainTest.FakeCommands();
        Run high = run(() -> fake, "duplicates", "--threshold", "1.5");
        assertEquals(2, high.code);
        assertTrue(high.err.contains("--threshold: 1.5 is outside -1.0..1.0"), high.err);
        Run word = run(() -> fake, "duplicates", "--threshold=high");
        assertEquals(2, word.code);
        assertTrue(word.err.contains("expected a number, got 'high'"), word.err);
        Run value = run(() -> fake, "evaluate", "--table=yes");
        assertEquals(2, value.code);
        assertTrue(value.err.contains("--table takes no value"), value.err);
        Run twice = run(() -> fake, "evaluate", "--table", "--table");
        assertEquals(2, twice.code);
        assertTrue(twice.err.contains("--table given twice"), twice.err);
        Run unknown = run(() -> fake, "duplicates", "--table");
        assertEquals(2, unknown.code);
        assertTrue(unknown.err.contains("unknown option '--table' for duplicates"), unknown.err);
    }

    @Test
    void withoutAnIndexTheMessageSaysRunBuildIndex() throws IOException {
        TestModels.colourModel(dir.resolve("models/model.onnx"));
        Run r = run(EngineCommands::new, "evaluate");
        assertEquals(1, r.code);
        assertTrue(r.err.trim().endsWith("run download-data, then build-index"), r.err);
    }

    /** The real engine: colour families in labelled folders are retrieved perfectly; a byte copy is a duplicate. */
    @Test
    void buildIndexThenEvaluateAndDuplicatesOnTheRealEngine() throws IOException {
        Path dataset = dir.resolve("dataset");
        float[] hues = {0f, 0.33f, 0.66f};
        String[] names = {"red", "green", "blue"};
        for (int c = 0; c < names.length; c++) {
            List<BufferedImage> family = TestImages.colourFamily(hues[c], 5, 48, 36, 40 + c);
            for (int i = 0; i < family.size(); i++) {
                TestImages.writePng(family.get(i), dataset.resolve(names[c]).resolve(names[c] + i + ".png"));
            }
        }
        Files.copy(dataset.resolve("red/red0.png"), dataset.resolve("red/red0_copy.png"));
        TestModels.logitsModel(dir.resolve("models/model.onnx"));
        Run build = run(EngineCommands::new, "build-index");
        assertEquals(0, build.code, build.err);

        Run eval = run(EngineCommands::new, "evaluate");
        assertEquals(0, eval.code, eval.err);
        assertTrue(eval.out.startsWith("{\"confusion\":{\"blue\":{\"blue\":5},\"green\":{\"green\":5},"
                + "\"red\":{\"red\":6}},\"generatedAt\":"), eval.out);
        assertTrue(eval.out.contains("\"images\":16,\"overall\":{\"p@1\":1.0,\"p@5\":"), eval.out);
        assertTrue(eval.out.contains("\"map\":1.0},\"perClass\""), eval.out);
        assertTrue(eval.out.contains("\"queries\":16,"), eval.out);

        Run table = run(EngineCommands::new, "evaluate", "--table");
        assertEquals(0, table.code, table.err);
        assertTrue(table.out.contains("overall       16   1.000"), table.out);

        Run dup = run(EngineCommands::new, "duplicates", "--threshold", "1");
        assertEquals(0, dup.code, dup.err);
        assertTrue(dup.out.contains("\"images\":16,\"pairs\":1,\"threshold\":1.0,"), dup.out);
        assertTrue(dup.out.contains("{\"exact\":true,\"images\":[") && dup.out.contains("\"sha256\":\""), dup.out);
        assertTrue(dup.out.contains("\"path\":\"red/red0.png\"") && dup.out.contains("\"path\":\"red/red0_copy.png\""),
                dup.out);
        assertEquals(1, dup.out.split("\"exact\"").length - 1, "one group: " + dup.out);
    }
}
