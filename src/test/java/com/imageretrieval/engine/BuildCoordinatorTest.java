package com.imageretrieval.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One build at a time, the final event after the swap, failures recorded; without any index behind it. */
class BuildCoordinatorTest {

    private static final BuildResult RESULT = new BuildResult(1, 1, 0, 0, 0, 1, 1, Instant.EPOCH);

    @Test
    void aSecondRequestedBuildIsRefusedWhileOneRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (BuildCoordinator c = new BuildCoordinator(p -> {
            started.countDown();
            release.await();
            return RESULT;
        }, () -> false)) {
            assertTrue(c.startAsync(null, false));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertTrue(c.building());
            assertFalse(c.startAsync(null, false), "only one build at a time");
            assertThrows(BuildInProgressException.class, () -> c.runNow(null));
            release.countDown();
            assertTrue(c.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(RESULT, c.lastBuild().orElseThrow());
        }
    }

    @Test
    void theFinalEventComesAfterTheJobHasSwappedTheIndexIn() throws Exception {
        AtomicBoolean swapped = new AtomicBoolean();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (BuildCoordinator c = new BuildCoordinator(p -> {
            p.onProgress(new BuildProgress(0, 1, 0, 0, -1, false));
            p.onProgress(new BuildProgress(1, 1, 0, 1, 0, true));
            swapped.set(true);
            return RESULT;
        }, () -> false)) {
            c.addListener(p -> seen.add("listener " + p.finished() + " swapped=" + swapped.get()));
            c.runNow(p -> seen.add("caller " + p.finished() + " swapped=" + swapped.get()));
        }
        assertEquals(List.of("caller false swapped=false", "listener false swapped=false",
                "caller true swapped=true", "listener true swapped=true"), seen);
    }

    @Test
    void aFailureIsRecordedAndSaysThePreviousIndexIsServed() throws Exception {
        try (BuildCoordinator c = new BuildCoordinator(p -> {
            throw new java.io.IOException("disk full");
        }, () -> true)) {
            BuildFailedException e = assertThrows(BuildFailedException.class, () -> c.runNow(null));
            assertEquals("the index build failed: disk full; the previous index is still served", e.getMessage());
            assertEquals("the index build failed: disk full", c.lastError());
            assertFalse(c.building());
        }
    }

    @Test
    void aRequestedBuildWaitsForTheAutomaticOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        try (BuildCoordinator c = new BuildCoordinator(p -> {
            if (first.getAndSet(false)) {
                release.await();
            }
            return RESULT;
        }, () -> false)) {
            assertTrue(c.startAsync(null, true));
            assertTrue(c.automaticRunning());
            Thread t = new Thread(() -> {
                try {
                    c.runNow(null);
                } catch (BuildInProgressException e) {
                    throw new AssertionError(e);
                }
            });
            t.start();
            Thread.sleep(100);
            assertTrue(t.isAlive(), "waits instead of failing");
            release.countDown();
            t.join(5000);
            assertFalse(t.isAlive());
        }
    }
}
