package com.imageretrieval.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import com.imageretrieval.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The cores-as-tokens rule of {@link ModelRuns}: a lone run gets every core, runs that meet others one each. */
class ModelRunsTest {

    private static byte[] model;
    private static final ExecutorService POOL = Executors.newCachedThreadPool();

    @BeforeAll
    static void model() throws Exception {
        model = Files.readAllBytes(TestModels.colourModel(Path.of("target", "test-models", "model-runs", "c.onnx")));
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static ModelRuns open(Threading threading, Cores cores) throws Exception {
        return ModelRuns.open(OrtEnvironment.getEnvironment(), model, threading, cores, false);
    }

    @Test
    void aLoneRunTakesEveryCoreAndARunThatMeetsOthersTakesOne() throws Exception {
        try (ModelRuns runs = open(Threading.ADAPTIVE, new Cores(4))) {
            assertEquals(4, runs.parallelRuns());
            int wide = runs.take();
            assertEquals(4, wide, "idle machine: the wide session");
            // every token is out: the next run waits, then gets one token when they come back
            Future<Integer> waiting = POOL.submit(runs::take);
            assertThrows(TimeoutException.class, () -> waiting.get(200, TimeUnit.MILLISECONDS));
            runs.give(wide);
            assertEquals(1, waiting.get(5, TimeUnit.SECONDS), "a run that had to wait runs narrow");
            // one run going: the others run narrow, side by side, up to the cores, then wait
            assertEquals(1, runs.take());
            assertEquals(1, runs.take());
            assertEquals(1, runs.take());
            Future<Integer> fifth = POOL.submit(runs::take);
            assertThrows(TimeoutException.class, () -> fifth.get(200, TimeUnit.MILLISECONDS));
            runs.give(1);
            assertEquals(1, fifth.get(5, TimeUnit.SECONDS));
            for (int i = 0; i < 4; i++) {
                runs.give(1);
            }
            assertEquals(4, runs.take(), "idle again: wide again");
            runs.give(4);
        }
    }

    @Test
    void throughputModeOnlyRunsNarrowAndAGpuOrOneCoreRunsOneAtATime() throws Exception {
        try (ModelRuns runs = open(Threading.THROUGHPUT, new Cores(2))) {
            assertEquals(2, runs.parallelRuns());
            assertEquals(1, runs.take(), "never wide, even on an idle machine");
            runs.give(1);
        }
        try (ModelRuns runs = open(Threading.ADAPTIVE, new Cores(1))) {
            assertEquals(1, runs.parallelRuns());
            assertEquals(1, runs.take());
            Future<Integer> second = POOL.submit(runs::take);
            assertThrows(TimeoutException.class, () -> second.get(200, TimeUnit.MILLISECONDS));
            runs.give(1);
            assertEquals(1, second.get(5, TimeUnit.SECONDS));
            runs.give(1);
        }
    }

    @Test
    void aWaitingRunCanBeInterrupted() throws Exception {
        try (ModelRuns runs = open(Threading.ADAPTIVE, new Cores(2))) {
            int all = runs.take();
            CompletableFuture<Thread> waiter = new CompletableFuture<>();
            Future<Integer> waiting = POOL.submit(() -> {
                waiter.complete(Thread.currentThread());
                return runs.take();
            });
            Thread t = waiter.get(5, TimeUnit.SECONDS);
            Thread.sleep(100);
            t.interrupt();
            Exception e = assertThrows(Exception.class, () -> waiting.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof InterruptedException, String.valueOf(e.getCause()));
            runs.give(all);
            assertEquals(2, runs.take(), "the interrupted wait took nothing");
            runs.give(2);
        }
    }

    @Test
    void twoModelsOnOneMachineShareItsCores() throws Exception {
        // The image model (ADAPTIVE) and the text encoder (THROUGHPUT) of one process draw on the same pool.
        Cores machine = new Cores(2);
        try (ModelRuns image = open(Threading.ADAPTIVE, machine);
                ModelRuns text = open(Threading.THROUGHPUT, machine)) {
            assertEquals(1, text.take(), "a text run holds one core");
            assertEquals(1, image.take(), "so an image search meeting it runs narrow, not over both cores");
            Future<Integer> third = POOL.submit(image::take);
            assertThrows(TimeoutException.class, () -> third.get(200, TimeUnit.MILLISECONDS));
            text.give(1);
            assertEquals(1, third.get(5, TimeUnit.SECONDS));
            image.give(1);
            image.give(1);
            assertEquals(2, image.take(), "with the text run gone and the machine idle, wide again");
            Future<Integer> textWaits = POOL.submit(text::take);
            assertThrows(TimeoutException.class, () -> textWaits.get(200, TimeUnit.MILLISECONDS));
            image.give(2);
            assertEquals(1, textWaits.get(5, TimeUnit.SECONDS));
            text.give(1);
        }
    }
}
