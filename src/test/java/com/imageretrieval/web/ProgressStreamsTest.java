package com.imageretrieval.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.ProgressListener;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 10, class 6: the progress streams are capped, and a client that stops reading never slows a build. */
class ProgressStreamsTest {

    private final ExecutorService dispatcher = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        dispatcher.shutdownNow();
    }

    /** A build: listeners called on "its" thread. */
    private static final class Build implements ProgressStreams.Source {
        final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
        volatile BuildProgress current = new BuildProgress(0, 100_000, 0, 0, 0, false);

        @Override
        public void addProgressListener(ProgressListener l) {
            listeners.add(l);
        }

        @Override
        public void removeProgressListener(ProgressListener l) {
            listeners.remove(l);
        }

        @Override
        public Optional<BuildProgress> progress() {
            return Optional.of(current);
        }

        @Override
        public ProgressStreams.Summary summary() {
            return new ProgressStreams.Summary(false, current.done(), null);
        }

        void publish(BuildProgress p) {
            current = p;
            for (ProgressListener l : listeners) {
                l.onProgress(p);
            }
        }
    }

    /** A client; {@code stuck} ones never finish a write (like a full TCP window) until closed. */
    private static final class FakeClient implements ProgressStreams.Client {
        final boolean stuck;
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);

        FakeClient(boolean stuck) {
            this.stuck = stuck;
        }

        @Override
        public CompletionStage<?> send(String name, Object data, boolean last) {
            if (stuck) {
                try {
                    closed.await(); // blocks inside send, as a servlet write to a client that does not read does
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CompletableFuture.failedFuture(new java.io.IOException("closed"));
            }
            events.add(name);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isClosed() {
            return closed.getCount() == 0;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    @Test
    void aClientThatStopsReadingNeitherSlowsTheBuildNorStaysOpen() throws Exception {
        ProgressStreams streams = new ProgressStreams(8, dispatcher, 300);
        Build build = new Build();
        FakeClient stuck = new FakeClient(true);
        FakeClient reader = new FakeClient(false);
        assertTrue(streams.open(build, stuck));
        assertTrue(streams.open(build, reader));
        long t0 = System.nanoTime();
        for (int i = 1; i <= 100_000; i++) {
            build.publish(new BuildProgress(i, 100_000, 0, 50, 1, false));
            if (i % 20_000 == 0) {
                Thread.sleep(200); // the build takes its time; meanwhile the stuck client passes its send timeout
            }
        }
        long buildMs = (System.nanoTime() - t0) / 1_000_000 - 5 * 200;
        build.publish(new BuildProgress(100_000, 100_000, 0, 50, 0, true));
        assertTrue(buildMs < 1000, "100,000 progress callbacks took " + buildMs + " ms beside a stuck client");
        assertTrue(stuck.closed.await(5, TimeUnit.SECONDS), "the client that stopped reading was not dropped");
        assertTrue(reader.closed.await(5, TimeUnit.SECONDS), "the reading client did not get its last event");
        assertEquals("done", reader.events.get(reader.events.size() - 1));
        assertTrue(reader.events.contains("progress"));
        // Newer progress replaces older: a client is never sent a backlog of 100,000 events.
        assertTrue(reader.events.size() < 100_000, "events " + reader.events.size());
        assertEquals(0, streams.openCount());
        assertTrue(build.listeners.isEmpty(), "listeners left on the build");
    }

    @Test
    void streamsBeyondTheCapAreRefusedAndAPlaceFreesWhenOneCloses() throws Exception {
        ProgressStreams streams = new ProgressStreams(2, dispatcher, 1000);
        Build build = new Build();
        FakeClient a = new FakeClient(false);
        assertTrue(streams.open(build, a));
        assertTrue(streams.open(build, new FakeClient(false)));
        FakeClient refused = new FakeClient(false);
        assertFalse(streams.open(build, refused));
        assertTrue(refused.events.isEmpty(), "nothing is sent to a refused client");
        build.publish(new BuildProgress(100_000, 100_000, 0, 50, 0, true));
        assertTrue(a.closed.await(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (streams.openCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(streams.open(build, new FakeClient(false)));
    }

    @Test
    void withNoBuildRunningAClientGetsOneIdleEvent() throws Exception {
        ProgressStreams streams = new ProgressStreams(2, dispatcher, 1000);
        Build build = new Build();
        build.current = new BuildProgress(5, 5, 0, 1, 0, true);
        FakeClient c = new FakeClient(false);
        assertTrue(streams.open(build, c));
        assertTrue(c.closed.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("idle"), c.events);
    }
}
