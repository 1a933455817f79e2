package com.imageretrieval.web;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.EngineStatus;
import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.features.RunCount;
import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.VectorMatrix;
import com.imageretrieval.metrics.AppMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.management.ObjectName;

/**
 * Owns the one {@link RetrievalEngine} of the application: opens it (model session + index) at deployment, closes
 * it at undeploy, and runs the scheduled incremental rebuild.
 *
 * <p>Bean-managed concurrency: the engine is thread-safe (immutable snapshots, one build at a time), so a container
 * write lock would only serialise searches behind each other and behind the timer.
 */
@Startup
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class EngineService {

    private static final Logger LOG = Logger.getLogger(EngineService.class.getName());

    /** The trigger name of scheduled rebuilds. */
    static final String TIMER = "timer";

    /** Analyses computed at once, and admitted beyond those; cached answers pass through the same gate quickly. */
    static final int ANALYSES_RUNNING = 1;
    static final int ANALYSES_QUEUED = 4;

    /** A progress client whose event is not written within this time has stopped reading and is dropped. */
    static final long PROGRESS_SEND_TIMEOUT_MS = 10_000;

    /** How an attempt to start a rebuild ended. */
    public enum StartOutcome { STARTED, ALREADY_RUNNING, NOT_READY }

    @Resource
    private TimerService timerService;

    private volatile AppConfig config;
    private volatile RetrievalEngine engine;
    private volatile ImageDecoder decoder;
    private volatile SearchGate searchGate;
    private volatile AppMetrics metrics;
    private volatile SearchGate analysisGate;
    private volatile ProgressStreams streams;
    private ObjectName mbean;
    private volatile FirstStartDownload firstStartDownload;
    private volatile java.util.concurrent.Future<?> download;
    private volatile boolean stopping;

    @Resource
    private ManagedExecutorService executor;

    @PostConstruct
    void start() {
        long t0 = System.nanoTime();
        AppConfig cfg;
        Optional<Duration> every;
        try {
            cfg = AppConfig.fromEnvironment();
            every = ReindexSchedule.parse(cfg.reindexSchedule());
        } catch (RuntimeException e) {
            // Fail the deployment: a wrong variable is better reported now than guessed around later.
            LOG.severe("Image retrieval: configuration error: " + e.getMessage());
            throw e;
        }
        config = cfg;
        decoder = new ImageDecoder(cfg.maxImagePixels());
        searchGate = new SearchGate(cfg.maxConcurrentSearches(), cfg.maxQueuedSearches(), cfg.searchQueueTimeoutMs());
        // Analyses (duplicates, evaluation) scan all pairs on several threads: one at a time, a few waiting.
        analysisGate = new SearchGate(ANALYSES_RUNNING, ANALYSES_QUEUED, cfg.searchQueueTimeoutMs());
        // Progress events are delivered on the managed executor, never on the build's thread.
        streams = new ProgressStreams(cfg.maxProgressStreams(), executor, PROGRESS_SEND_TIMEOUT_MS);
        LOG.info("Image retrieval: effective configuration: " + format(cfg.describe()));
        metrics = newMetrics(searchGate);

        openEngine(cfg, t0);
        if (FirstStartDownload.needed(cfg)) {
            // Downloads take minutes: never block the deployment for them.
            FirstStartDownload download = new FirstStartDownload(cfg);
            firstStartDownload = download;
            this.download = executor.submit(() -> {
                try {
                    if (download.run() && !stopping) {
                        reopenEngine();
                    }
                } finally {
                    firstStartDownload = null;
                }
            });
        }
        every.ifPresentOrElse(d -> {
            timerService.createIntervalTimer(d.toMillis(), d.toMillis(), new TimerConfig("reindex every " + d, false));
            LOG.info("Image retrieval: incremental reindex every " + d + " (REINDEX_SCHEDULE=" + cfg.reindexSchedule()
                    + ")");
        }, () -> LOG.info("Image retrieval: scheduled reindex is off (REINDEX_SCHEDULE=off)"));
        mbean = ReindexControl.register(new ReindexControl(this));
    }

    /** Opens the engine (model session + index) and starts the first build when there is no index yet. */
    private void openEngine(AppConfig cfg, long t0) {
        engine = RetrievalEngine.open(cfg);
        EngineStatus s = engine.status();
        String device = engine.embedder().map(e -> e.device()).orElse("none");
        metrics.modelInfo(engine.embedder().map(e -> e.modelName()).orElse("none"), device);
        LOG.info(String.format("Image retrieval: engine opened in %d ms: state=%s modelLoaded=%s indexReady=%s "
                        + "images=%d device=%s scan=%s%s", (System.nanoTime() - t0) / 1_000_000, s.state(), s.modelLoaded(),
                s.indexReady(), s.images(), device, VectorMatrix.kernel(), s.message() == null ? "" : " (" + s.message() + ")"));

        if (!s.indexReady() && !s.building() && s.modelLoaded() && Files.isDirectory(cfg.datasetDir())) {
            // First start: build in the background so the deployment finishes and health can say "building".
            // (The engine may already have started this build itself; then this is a no-op.)
            if (startReindex("first start") == StartOutcome.STARTED) {
                LOG.info("Image retrieval: no index yet; building it from " + cfg.datasetDir());
            }
        }
    }

    /** After a first-start download: the model and/or dataset are new, so load them (the old engine had neither). */
    private synchronized void reopenEngine() {
        if (stopping) {
            return; // undeploy won the race: never open an engine that nobody will close
        }
        RetrievalEngine old = engine;
        old.close();
        openEngine(config, System.nanoTime());
    }

    /** What a first-start download is doing now, or empty. */
    public Optional<String> downloading() {
        FirstStartDownload d = firstStartDownload;
        return d == null ? Optional.empty() : Optional.ofNullable(d.state());
    }

    @Timeout
    void scheduled(Timer timer) {
        try {
            StartOutcome o = startReindex(TIMER);
            LOG.fine(() -> "Image retrieval: scheduled reindex: " + o);
        } catch (RuntimeException e) {
            // Never let an exception cancel the interval timer.
            LOG.log(Level.WARNING, "Image retrieval: scheduled reindex failed to start: " + e, e);
        }
    }

    /**
     * Undeploy: stop the timer, cancel a first-start download still running (its thread is interrupted and the
     * partial file removed by the downloader), refuse new searches and wait for those in flight, close the progress
     * streams, then close the engine (model session and H2 file lock).
     */
    @PreDestroy
    void stop() {
        stopping = true;
        java.util.concurrent.Future<?> d = download;
        if (d != null && !d.isDone()) {
            d.cancel(true);
            LOG.info("Image retrieval: first-start download cancelled (undeploy)");
        }
        for (Timer t : timerService.getTimers()) {
            try {
                t.cancel();
            } catch (RuntimeException ignored) {
                // already expired or cancelled
            }
        }
        ReindexControl.unregister(mbean);
        if (streams != null) {
            streams.closeAll();
        }
        drain(searchGate, "searches");
        drain(analysisGate, "analyses");
        RetrievalEngine e;
        synchronized (this) { // not while a finished download reopens it
            e = engine;
        }
        if (e != null) {
            e.close();
            LOG.info("Image retrieval: engine closed");
        }
        AppMetrics m = metrics;
        if (m != null) {
            m.close();
        }
    }

    /** The meters of /api/metrics; gauges read the current engine at each scrape (it is replaced on reopen). */
    private AppMetrics newMetrics(SearchGate gate) {
        AppMetrics m = new AppMetrics();
        m.counter("imageretrieval.search.overloaded", "Searches refused with 503 (gate full or no model in time)",
                gate, SearchGate::refused);
        m.gauge("imageretrieval.index.images", "Images in the searchable index",
                () -> engine == null ? 0 : engine.status().images());
        m.gauge("imageretrieval.build.running", "1 while an index build runs",
                () -> engine != null && engine.progress().isPresent() ? 1 : 0);
        m.gauge("imageretrieval.build.done.images", "Images processed by the running build",
                () -> progress().map(BuildProgress::done).orElse(0));
        m.gauge("imageretrieval.build.total.images", "Images the running build has to process",
                () -> progress().map(BuildProgress::total).orElse(0));
        m.gauge("imageretrieval.build.rate.images.per.second", "Throughput of the running build",
                () -> progress().map(BuildProgress::imagesPerSecond).orElse(0.0));
        String runs = "Model runs over every core (wide) or on one core next to others (narrow)";
        m.counter("imageretrieval.model.runs", runs, this, s -> s.runCount().wide(), "width", "wide");
        m.counter("imageretrieval.model.runs", runs, this, s -> s.runCount().narrow(), "width", "narrow");
        return m;
    }

    private RunCount runCount() {
        RetrievalEngine e = engine;
        return e == null ? RunCount.NONE : e.embedder().map(Embedder::runCount).orElse(RunCount.NONE);
    }

    private Optional<BuildProgress> progress() {
        RetrievalEngine e = engine;
        return e == null ? Optional.empty() : e.progress();
    }

    private static void drain(SearchGate gate, String what) {
        if (gate == null) {
            return;
        }
        try {
            if (!gate.closeAndDrain(UNDEPLOY_WAIT_MS)) {
                LOG.warning("Image retrieval: " + what + " still running after " + UNDEPLOY_WAIT_MS
                        + " ms; closing the engine anyway");
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long undeploy waits for searches in flight before closing the model under them. */
    static final long UNDEPLOY_WAIT_MS = 15_000;

    public AppConfig config() {
        return config;
    }

    public RetrievalEngine engine() {
        return engine;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    /** The meters behind /api/metrics. */
    public AppMetrics metrics() {
        return metrics;
    }

    /** Bounds running and waiting searches (see {@link SearchGate}). */
    public SearchGate searchGate() {
        return searchGate;
    }

    /** Bounds the on-demand analyses (duplicates, evaluation) like searches. */
    public SearchGate analysisGate() {
        return analysisGate;
    }

    /**
     * Hands an SSE connection to the progress streams (kept here so undeploy can close them); false, with nothing
     * sent, when MAX_PROGRESS_STREAMS are already open.
     */
    public boolean openProgressStream(SseEventSink sink, Sse sse) {
        RetrievalEngine e = engine;
        ProgressStreams.Source source = new ProgressStreams.Source() {
            @Override
            public void addProgressListener(com.imageretrieval.index.ProgressListener l) {
                e.addProgressListener(l);
            }

            @Override
            public void removeProgressListener(com.imageretrieval.index.ProgressListener l) {
                e.removeProgressListener(l);
            }

            @Override
            public Optional<com.imageretrieval.index.BuildProgress> progress() {
                return e.progress();
            }

            @Override
            public ProgressStreams.Summary summary() {
                EngineStatus s = e.status();
                // Public stream: counts only; the list of failed files with reasons is for the admin API.
                return new ProgressStreams.Summary(s.building(), s.images(),
                        e.lastBuild().map(com.imageretrieval.index.BuildResult::withoutFailures).orElse(null));
            }
        };
        ProgressStreams.Client client = new ProgressStreams.Client() {
            @Override
            public java.util.concurrent.CompletionStage<?> send(String name, Object data, boolean last) {
                var b = sse.newEventBuilder().name(name).mediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                        .data(data.getClass(), data);
                if (last) {
                    b.reconnectDelay(ProgressStreams.RECONNECT_MILLIS);
                }
                return sink.send(b.build());
            }

            @Override
            public boolean isClosed() {
                return sink.isClosed();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
        return streams.open(source, client);
    }

    /** Starts an incremental rebuild on the engine's own thread; never waits for it. */
    public StartOutcome startReindex(String trigger) {
        RetrievalEngine e = engine;
        EngineStatus before = e.status();
        if (!before.modelLoaded()) {
            return StartOutcome.NOT_READY;
        }
        if (before.building() || e.buildingElsewhere().isPresent()) {
            // another app node holding the shared index's build lease counts as "running" too
            return StartOutcome.ALREADY_RUNNING;
        }
        if (e.rebuildAsync(new BuildLog(trigger))) {
            LOG.log(trigger.equals(TIMER) ? Level.FINE : Level.INFO, "Image retrieval: reindex started (" + trigger
                    + ")");
            return StartOutcome.STARTED;
        }
        // rebuildAsync says false both when a build runs and when nothing can be built (no images, store locked).
        return e.status().building() ? StartOutcome.ALREADY_RUNNING : StartOutcome.NOT_READY;
    }

    private static String format(Map<String, String> settings) {
        return settings.entrySet().stream().map(en -> en.getKey() + "=" + en.getValue())
                .collect(Collectors.joining(", "));
    }
}
