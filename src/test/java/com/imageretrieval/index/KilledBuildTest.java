package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestImages;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a build: a child JVM builds with a slow model and is destroyed forcibly after it has
 * written rows; the database must then open with the previous index intact.
 */
class KilledBuildTest {

    @TempDir
    Path tmp;

    /** The child: rebuilds with another model hash, slowly, printing progress. */
    public static void main(String[] args) throws Exception {
        FakeEmbedder slow = new FakeEmbedder("model-in-child").beforeBatch(n -> {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        boolean hangAfterCommit = args.length > 2 && args[2].equals("hang-after-commit");
        IndexStore store = IndexStore.open(Path.of(args[1]));
        new IndexBuilder(store, hangAfterCommit ? new FakeEmbedder("model-in-child") : slow,
                new ImageDecoder(1 << 24), Path.of(args[0])).batchSize(2).build(p -> {
                    System.out.println((p.finished() ? "COMMITTED " : "PROGRESS ") + p.done() + " "
                            + slow.embeddedCount());
                    System.out.flush();
                });
        if (hangAfterCommit) {
            // never closes the store: the parent kills this process right after the commit
            Thread.sleep(600_000);
        }
        store.close();
        System.out.println("FINISHED");
    }

    @Test
    void aCommittedBuildSurvivesAKillRightAfterTheCommit() throws Exception {
        Path dataset = TestDatasets.colours(tmp.resolve("dataset"), 4);
        Path artifacts = tmp.resolve("artifacts");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledBuildTest.class.getName(), dataset.toString(), artifacts.toString(), "hang-after-commit")
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        boolean committed = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("COMMITTED ")) {
                    committed = true;
                    child.destroyForcibly();
                    break;
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(committed, output.toString());
        try (IndexStore reopened = IndexStore.open(artifacts)) {
            IndexSnapshot s = reopened.load().orElseThrow();
            assertEquals(12, s.size());
            assertEquals("model-in-child", s.metadata().modelHash());
        }
    }

    @Test
    void aKilledBuildLeavesThePreviousIndexIntact() throws Exception {
        Path dataset = TestDatasets.colours(tmp.resolve("dataset"), 10);
        Path artifacts = tmp.resolve("artifacts");
        IndexSnapshot before;
        try (IndexStore store = IndexStore.open(artifacts)) {
            new IndexBuilder(store, new FakeEmbedder("h1"), new ImageDecoder(1 << 24), dataset)
                    .build(ProgressListener.none());
            before = store.load().orElseThrow();
        }
        Files.delete(dataset.resolve("red/red_000.jpg"));
        TestDatasets.write(dataset.resolve("yellow/y.png"), TestImages.noisyColour(Color.YELLOW, 1, 30, 30));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                KilledBuildTest.class.getName(), dataset.toString(), artifacts.toString())
                .redirectErrorStream(true).start();
        int embeddedWhenKilled = -1;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("PROGRESS ")) {
                    int embedded = Integer.parseInt(line.split(" ")[2]);
                    if (embedded >= 6) {
                        embeddedWhenKilled = embedded;
                        child.destroyForcibly();
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(embeddedWhenKilled >= 6, "the child was killed mid-build after writing rows:\n" + output);
        assertTrue(embeddedWhenKilled < 30, "and before it finished:\n" + output);

        try (IndexStore reopened = IndexStore.open(artifacts)) {
            IndexBuilderTest.assertSame(before, reopened.load().orElseThrow());
            assertTrue(reopened.storedImages().values().stream().allMatch(s -> s.modelHash().equals("h1")));
            // and the database still takes a full build afterwards
            BuildResult r = new IndexBuilder(reopened, new FakeEmbedder("h1"), new ImageDecoder(1 << 24), dataset)
                    .build(ProgressListener.none());
            assertEquals(1, r.embedded());
            assertEquals(1, r.removed());
        }
    }
}
