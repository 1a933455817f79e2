package com.imageretrieval.web;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.ProgressListener;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The open {@code /api/index/progress} streams. A stream lives for one build: {@code progress} events while a build
 * runs and a final {@code done}, or a single {@code idle} when none runs, then it closes with a reconnect delay
 * (browsers' EventSource reconnects by itself, so nothing is held open while nothing happens).
 *
 * <p>The build never waits for a client: its callback only stores the latest progress in the stream's one-slot
 * mailbox (newer progress replaces older, so a slow client skips intermediate figures instead of queueing them) and
 * asks the dispatcher to deliver it. Delivery happens on the dispatcher's threads; a client whose send has not
 * completed within {@code sendTimeoutMillis} (it stopped reading) is dropped. At most {@code maxStreams} are open;
 * {@link #open} refuses one more (the resource answers 503). Plain Java (the JAX-RS side is behind {@link Client}),
 * so all of it is unit-tested.
 */
final class ProgressStreams {

    /** Milliseconds a client waits before reconnecting after {@code idle} or {@code done}. */
    static final long RECONNECT_MILLIS = 5000;

    /** The payload of {@code idle} and {@code done}. */
    public record Summary(boolean building, int images, BuildResult lastBuild) {
    }

    /** Where progress comes from (the engine). */
    interface Source {
        void addProgressListener(ProgressListener l);

        void removeProgressListener(ProgressListener l);

        Optional<BuildProgress> progress();

        Summary summary();
    }

    /** One SSE connection. */
    interface Client {
        /** Sends one event; {@code last} adds the reconnect delay. Completes when written. */
        CompletionStage<?> send(String name, Object data, boolean last);

        boolean isClosed();

        void close();
    }

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final int maxStreams;
    private final Executor dispatcher;
    private final long sendTimeoutNanos;

    ProgressStreams(int maxStreams, Executor dispatcher, long sendTimeoutMillis) {
        this.maxStreams = maxStreams;
        this.dispatcher = dispatcher;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
    }

    /** Opens a stream, or returns false (nothing sent) when {@code maxStreams} are already open. */
    synchronized boolean open(Source source, Client client) {
        if (open.size() >= maxStreams) {
            return false;
        }
        Stream s = new Stream(source, client);
        open.add(s);
        s.start();
        return true;
    }

    int openCount() {
        return open.size();
    }

    void closeAll() {
        for (Stream s : open) {
            s.close();
        }
    }

    private final class Stream implements ProgressListener {
        private final Source source;
        private final Client client;
        private final AtomicReference<BuildProgress> latest = new AtomicReference<>();
        private final AtomicReference<String> finish = new AtomicReference<>(); // "idle" or "done" once known
        private final AtomicBoolean draining = new AtomicBoolean();
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicLong sendingSince = new AtomicLong(); // 0: no send in flight

        Stream(Source source, Client client) {
            this.source = source;
            this.client = client;
        }

        void start() {
            // Listen first, then look: a build that ends in between still reaches the finish through one path.
            source.addProgressListener(this);
            Optional<BuildProgress> p = source.progress();
            if (p.isPresent() && !p.get().finished()) {
                latest.set(p.get());
            } else {
                finish.compareAndSet(null, "idle");
            }
            schedule();
        }

        /** Called on the build's thread: constant time, never blocks, never throws. */
        @Override
        public void onProgress(BuildProgress p) {
            if (closed.get()) {
                return;
            }
            if (p.finished()) {
                finish.compareAndSet(null, "done");
            } else {
                latest.set(p);
            }
            long since = sendingSince.get();
            if (since != 0 && System.nanoTime() - since > sendTimeoutNanos) {
                runElsewhere(this::close); // the client stopped reading: drop it (closing may block, so not here)
                return;
            }
            schedule();
        }

        private void schedule() {
            if (!closed.get() && draining.compareAndSet(false, true)) {
                runElsewhere(this::drain);
            }
        }

        private void runElsewhere(Runnable r) {
            try {
                dispatcher.execute(r);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                close();
            }
        }

        /** On a dispatcher thread: sends what is pending, one event at a time. */
        private void drain() {
            try {
                while (!closed.get()) {
                    BuildProgress p = latest.getAndSet(null);
                    if (p != null) {
                        send("progress", p, false);
                        continue;
                    }
                    String last = finish.get();
                    if (last != null) {
                        source.removeProgressListener(this);
                        send(last, source.summary(), true); // close only once the last event is out
                        close();
                    }
                    break;
                }
            } catch (Exception e) {
                close(); // the client went away or stopped reading
            } finally {
                draining.set(false);
            }
            if (!closed.get() && (latest.get() != null || finish.get() != null)) {
                schedule(); // something arrived while we were finishing
            }
        }

        private void send(String name, Object data, boolean last) throws Exception {
            if (client.isClosed()) {
                throw new IllegalStateException("closed");
            }
            sendingSince.set(Math.max(1, System.nanoTime()));
            try {
                client.send(name, data, last).toCompletableFuture().get(sendTimeoutNanos, TimeUnit.NANOSECONDS);
            } finally {
                sendingSince.set(0);
            }
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                source.removeProgressListener(this);
                open.remove(this);
                try {
                    client.close();
                } catch (RuntimeException ignored) {
                    // already closed by the client or the container
                }
            }
        }
    }
}
