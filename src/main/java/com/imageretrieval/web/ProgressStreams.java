package com.imageretrieval.web;

import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.ProgressListener;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The open {@code /api/index/progress} streams. A stream lives for one build: it sends {@code progress} events
 * while a build runs and a final {@code done} event, or a single {@code idle} event when none runs, and then
 * closes with a reconnect delay. Browsers' EventSource reconnects by itself, so no connection is held open while
 * nothing happens, and undeploy never waits on an idle client.
 */
final class ProgressStreams {

    /** Milliseconds a client waits before reconnecting after {@code idle} or {@code done}. */
    static final long RECONNECT_MILLIS = 5000;

    /** The payload of {@code idle} and {@code done}. */
    public record Summary(boolean building, int images, BuildResult lastBuild) {
    }

    private final Set<Stream> open = ConcurrentHashMap.newKeySet();

    void open(RetrievalEngine engine, SseEventSink sink, Sse sse) {
        Stream s = new Stream(engine, sink, sse);
        open.add(s);
        s.start();
    }

    void closeAll() {
        for (Stream s : open) {
            s.close();
        }
    }

    private final class Stream implements ProgressListener {
        private final RetrievalEngine engine;
        private final SseEventSink sink;
        private final Sse sse;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicBoolean finishing = new AtomicBoolean();

        Stream(RetrievalEngine engine, SseEventSink sink, Sse sse) {
            this.engine = engine;
            this.sink = sink;
            this.sse = sse;
        }

        void start() {
            // Listen first, then look: a build that ends in between still reaches finish() through one path.
            engine.addProgressListener(this);
            Optional<BuildProgress> p = engine.progress();
            if (p.isPresent() && !p.get().finished()) {
                send(event("progress", p.get()));
            } else {
                finish("idle");
            }
        }

        @Override
        public void onProgress(BuildProgress p) {
            if (closed.get()) {
                return;
            }
            if (p.finished()) {
                finish("done");
            } else {
                send(event("progress", p));
            }
        }

        private void finish(String name) {
            if (!finishing.compareAndSet(false, true)) {
                return;
            }
            engine.removeProgressListener(this);
            Summary summary = new Summary(engine.status().building(), engine.status().images(),
                    engine.lastBuild().orElse(null));
            OutboundSseEvent ev = sse.newEventBuilder().name(name).reconnectDelay(RECONNECT_MILLIS)
                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(Summary.class, summary).build();
            if (sink.isClosed()) {
                close();
            } else {
                // Close only once the last event is out, or the client might never see it.
                sink.send(ev).whenComplete((r, err) -> close());
            }
        }

        private OutboundSseEvent event(String name, BuildProgress p) {
            return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(BuildProgress.class, p).build();
        }

        private void send(OutboundSseEvent ev) {
            if (sink.isClosed()) {
                close();
                return;
            }
            sink.send(ev).whenComplete((r, err) -> {
                if (err != null) {
                    close(); // the client went away
                }
            });
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                engine.removeProgressListener(this);
                open.remove(this);
                try {
                    sink.close();
                } catch (RuntimeException ignored) {
                    // already closed by the client or the container
                }
            }
        }
    }
}
