package com.imageretrieval.engine;

import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationException;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.NearDuplicates;
import com.imageretrieval.analysis.RetrievalEvaluation;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.DatasetScanner;
import com.imageretrieval.index.IndexBuilder;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.IndexStore;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.index.ProgressListener;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.metrics.SearchStage;
import com.imageretrieval.metrics.SearchTimings;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one facade the CLI and the web layer use: the embedding model, the stored index and the searchable snapshot.
 *
 * <p>Concurrency: searches read the current {@link IndexSnapshot} from an {@link AtomicReference} and never lock or
 * wait; a build makes a complete new snapshot and swaps it in at the end, so searches during a build answer from
 * the previous one. One build runs at a time (a compare-and-set on the running build); asynchronous builds run on
 * a single daemon thread owned by the engine.
 *
 * <p>Start-up never throws for a missing or broken model, dataset or index: the problem is recorded and reported by
 * {@link #status()}, with the variable to set or the command to run. An unreadable index file is moved aside and
 * rebuilt; an index made by another model is not searched until it is rebuilt (automatically, when possible).
 */
public final class RetrievalEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RetrievalEngine.class.getName());

    /** How long a "does the dataset have images" answer is reused: status() may be polled often. */
    private static final long DATASET_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final AppConfig config;
    private final Embedder embedder;
    private final String modelProblem;
    private final IndexStore store;
    private final String storeProblem;
    private final ImageDecoder decoder;

    private final AtomicReference<IndexSnapshot> snapshot = new AtomicReference<>();
    /** The running build, null when idle: one compare-and-set decides who builds. */
    private final AtomicReference<Build> running = new AtomicReference<>();
    /** Analyses cached per index content: a rebuild that changed an image or a vector invalidates them. */
    private final RetrievalEvaluation evaluation = new RetrievalEvaluation();
    private final NearDuplicates duplicates = new NearDuplicates();
    private final CopyOnWriteArrayList<ProgressListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService buildThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "index-build");
        t.setDaemon(true);
        return t;
    });

    private volatile BuildProgress progress;
    private volatile BuildResult lastBuild;
    private volatile String lastBuildError;
    /** Why the index is being (re)built without anyone asking: corrupt file, other model, none yet. */
    private volatile String rebuildReason;
    private volatile boolean closed;
    private volatile long datasetCheckedAt;
    private volatile boolean datasetHasImages;

    private RetrievalEngine(AppConfig config, EmbedderFactory factory) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = new ImageDecoder(config.maxImagePixels());

        Embedder e = null;
        String problem = null;
        try {
            e = factory.create(config);
            if (e == null) {
                problem = "the model factory returned no embedder for " + config.modelPath();
            }
        } catch (Exception | LinkageError ex) {
            // LinkageError: the ONNX Runtime native library failed to load; the app still starts, degraded
            String why = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            problem = Files.exists(config.modelPath()) ? "model could not be loaded from " + config.modelPath()
                    + ": " + why : modelMissingMessage(config);
            LOG.log(Level.WARNING, problem, ex);
        }
        this.embedder = e;
        this.modelProblem = problem;

        IndexStore s = null;
        String sp = null;
        try {
            s = openStoreAndLoad();
        } catch (IndexStoreException ex) {
            sp = ex.getMessage();
            LOG.log(Level.SEVERE, sp, ex);
        }
        this.store = s;
        this.storeProblem = sp;
    }

    /** Opens with a given embedder factory (tests, or a model other than the configured ONNX file). */
    public static RetrievalEngine open(AppConfig config, EmbedderFactory factory) {
        RetrievalEngine engine = new RetrievalEngine(config, Objects.requireNonNull(factory, "factory"));
        engine.startAutomaticBuildIfNeeded();
        return engine;
    }

    /** Opens with the ONNX model at {@code config.modelPath()}. */
    public static RetrievalEngine open(AppConfig config) {
        return open(config, RetrievalEngine::onnxEmbedder);
    }

    private static Embedder onnxEmbedder(AppConfig config) throws Exception {
        if (!Files.isRegularFile(config.modelPath())) {
            throw new NoSuchFileException(config.modelPath().toString(), null, "model file not found");
        }
        return OnnxEmbedder.open(config.modelPath(), config.ortDevice());
    }

    /** The exact text shown when the model file is missing. */
    public static String modelMissingMessage(AppConfig config) {
        return "model not found at " + config.modelPath().toAbsolutePath() + ": set MODEL_PATH or run"
                + " `download-model` (MODEL_URL=" + config.modelUrl() + ")";
    }

    /** The exact text shown when the dataset folder is missing or holds no image. */
    public static String datasetMissingMessage(AppConfig config) {
        return "dataset not found at " + config.datasetDir().toAbsolutePath() + ": set DATASET_DIR or run"
                + " `download-data` (DATASET_URL=" + config.datasetUrl() + ")";
    }

    /**
     * Opens the database and loads the snapshot. A corrupt file is moved aside and replaced by an empty database
     * (the dataset still has every image, so nothing is lost); a file locked by another process is left alone.
     */
    private IndexStore openStoreAndLoad() throws IndexStoreException {
        Path file = IndexStore.databaseFile(config.artifactsDir());
        IndexStore s = null;
        try {
            s = IndexStore.open(config.artifactsDir());
            s.load().ifPresent(this::adopt);
            return s;
        } catch (IndexStoreException ex) {
            if (s != null) {
                s.close();
            }
            if (ex.inUse() || !Files.exists(file)) {
                throw ex;
            }
            Path aside;
            try {
                aside = IndexStore.moveAside(config.artifactsDir());
            } catch (IOException io) {
                throw new IndexStoreException(ex.getMessage() + "; moving it aside failed too: " + io, ex);
            }
            rebuildReason = "the index file " + file + " was unreadable (" + ex.getMessage() + ") and was moved to "
                    + aside + "; the index is being rebuilt";
            LOG.log(Level.WARNING, rebuildReason, ex);
            return IndexStore.open(config.artifactsDir());
        }
    }

    /** Makes a loaded snapshot searchable if the loaded model made it. */
    private void adopt(IndexSnapshot loaded) {
        if (embedder == null) {
            return;
        }
        String hash = loaded.metadata().modelHash();
        if (embedder.modelHash().equals(hash) && embedder.dimension() == loaded.dimension()) {
            snapshot.set(loaded);
        } else {
            rebuildReason = "the index was made by another model (" + loaded.metadata().modelName() + ", "
                    + abbreviate(hash) + ") than the loaded one (" + embedder.modelName() + ", "
                    + abbreviate(embedder.modelHash()) + "); the index is being rebuilt";
            LOG.warning(rebuildReason);
        }
    }

    private static String abbreviate(String hash) {
        return hash == null ? "unknown" : hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    private void startAutomaticBuildIfNeeded() {
        if (embedder == null || store == null || snapshot.get() != null || datasetProblem() != null) {
            return;
        }
        if (rebuildReason == null) {
            rebuildReason = "no index found at " + IndexStore.databaseFile(config.artifactsDir())
                    + ": the index is being rebuilt from the dataset";
        }
        startAsync(null, true);
    }

    public AppConfig config() {
        return config;
    }

    /** The searchable snapshot, if there is one. */
    public Optional<IndexSnapshot> snapshot() {
        return Optional.ofNullable(snapshot.get());
    }

    public Optional<Embedder> embedder() {
        return Optional.ofNullable(embedder);
    }

    /** Current state; cheap enough to poll (the dataset check is cached for a few seconds). */
    public EngineStatus status() {
        IndexSnapshot snap = snapshot.get();
        Build build = running.get();
        boolean isBuilding = build != null;
        List<String> problems = new ArrayList<>();
        if (modelProblem != null) {
            problems.add(modelProblem);
        }
        String dataset = datasetProblem();
        if (dataset != null) {
            problems.add(dataset);
        }
        if (storeProblem != null) {
            problems.add(storeProblem);
        }
        int images = snap == null ? 0 : snap.size();
        String state;
        String message;
        if (isBuilding) {
            state = EngineStatus.BUILDING;
            BuildProgress p = progress;
            String reason = build.automatic() && rebuildReason != null ? rebuildReason : "building the index";
            message = reason + (p == null ? "" : " (" + p.done() + "/" + p.total() + " images, " + p.failed()
                    + " failed)") + (snap == null ? "" : "; searching the previous index of " + images + " images");
        } else if (!problems.isEmpty()) {
            state = EngineStatus.DEGRADED;
            if (rebuildReason != null && snap == null) {
                problems.add(rebuildReason.replace("the index is being rebuilt",
                        "the index will be rebuilt once the model and dataset are available"));
            }
            message = String.join("; ", problems);
        } else if (snap != null) {
            state = EngineStatus.OK;
            message = images + " images indexed with " + snap.metadata().modelName() + " on " + embedder.device()
                    + (lastBuildError == null ? "" : "; the last build failed: " + lastBuildError);
        } else {
            state = EngineStatus.DEGRADED;
            message = lastBuildError != null ? "the index build failed: " + lastBuildError
                    : "the index is not built yet: run `build-index` or start a rebuild";
        }
        return new EngineStatus(embedder != null, snap != null, isBuilding, images, state, message);
    }

    /** Null if the dataset folder exists and has an image, else the message saying how to get it. */
    private String datasetProblem() {
        Path dir = config.datasetDir();
        if (!Files.isDirectory(dir)) {
            datasetCheckedAt = 0;
            return datasetMissingMessage(config);
        }
        long now = System.nanoTime();
        if (datasetCheckedAt == 0 || now - datasetCheckedAt > DATASET_CHECK_NANOS || !datasetHasImages) {
            datasetHasImages = DatasetScanner.hasImages(dir);
            datasetCheckedAt = now == 0 ? 1 : now;
        }
        return datasetHasImages ? null : datasetMissingMessage(config);
    }

    /** Embeds the image with the loaded model and searches the current snapshot. Thread-safe, never blocks. */
    public List<SearchHit> search(BufferedImage query, int topK) throws NotReadyException {
        IndexSnapshot snap = requireSnapshot();
        return snap.search(embedder.embed(query), topK);
    }

    /** Searches the current snapshot with a unit vector of the index's dimension. */
    public List<SearchHit> search(float[] unitQuery, int topK) throws NotReadyException {
        return requireSnapshot().search(unitQuery, topK);
    }

    /**
     * Embeds the image and returns the best {@code topK} images that pass {@code filter} (label, lowest similarity);
     * the filter is applied inside the scan, so this is exact.
     */
    public List<SearchHit> search(BufferedImage query, int topK, SearchFilter filter) throws NotReadyException {
        IndexSnapshot snap = requireSnapshot();
        return snap.search(embedder.embed(query), topK, filter);
    }

    /**
     * As {@link #search(BufferedImage, int, SearchFilter)}, charging preprocessing, inference and the scan to
     * {@code timings} (for the latency histograms of the web layer and the benchmark).
     */
    public List<SearchHit> search(BufferedImage query, int topK, SearchFilter filter, SearchTimings timings)
            throws NotReadyException {
        IndexSnapshot snap = requireSnapshot();
        float[] tensor = embedder.preprocess(query);
        timings.lap(SearchStage.PREPROCESS);
        float[] vector = embedder.embedPreprocessed(List.of(tensor))[0];
        timings.lap(SearchStage.INFERENCE);
        List<SearchHit> hits = snap.search(vector, topK, filter);
        timings.lap(SearchStage.SCAN);
        return hits;
    }

    /** Searches with a unit vector of the index's dimension and a filter. */
    public List<SearchHit> search(float[] unitQuery, int topK, SearchFilter filter) throws NotReadyException {
        return requireSnapshot().search(unitQuery, topK, filter);
    }

    /**
     * "More like this": the images most similar to indexed image {@code imageId}, searched with its stored vector
     * (no decoding or model run); the image itself is left out.
     *
     * @throws ImageNotFoundException if the current index has no image with this id
     */
    public List<SearchHit> similar(long imageId, int topK, SearchFilter filter)
            throws NotReadyException, ImageNotFoundException {
        // one snapshot for the lookup and the search: a swap in between cannot mix two indexes
        return requireSnapshot().similar(imageId, topK, filter).orElseThrow(() -> new ImageNotFoundException(imageId));
    }

    /**
     * Leave-one-out retrieval quality of the current index on its folder labels, computed on the first call after a
     * build that changed the index (seconds for a few thousand images) and cached.
     *
     * @throws EvaluationException if no label has two images
     */
    public EvaluationResult evaluation() throws NotReadyException, EvaluationException {
        return evaluation.of(requireSnapshot());
    }

    /**
     * Groups of near-identical (cosine {@code >= threshold}) and byte-identical images in the current index; the last
     * answer is cached per index content and threshold.
     *
     * @throws IllegalArgumentException if the threshold is outside [-1, 1]
     */
    public DuplicateReport duplicates(double threshold) throws NotReadyException {
        return duplicates.find(requireSnapshot(), threshold);
    }

    private IndexSnapshot requireSnapshot() throws NotReadyException {
        if (embedder == null) {
            throw new NotReadyException(modelProblem);
        }
        IndexSnapshot snap = snapshot.get();
        if (snap == null) {
            throw new NotReadyException(status().message());
        }
        return snap;
    }

    /**
     * Brings the index up to date on the calling thread and swaps the new snapshot in. If the engine's own start-up
     * build is running, waits for it first (then this pass is quick: everything is reused).
     *
     * @param listener progress; an exception it throws aborts the build (the previous index stays)
     * @throws NotReadyException         if the model, the dataset or the database is not available
     * @throws BuildInProgressException  if another requested build is running
     * @throws BuildFailedException      if the build failed; the previous index is still served
     */
    public BuildResult rebuild(ProgressListener listener) throws BuildInProgressException, NotReadyException {
        requireBuildable();
        Build mine = new Build(false, new CountDownLatch(1));
        while (!running.compareAndSet(null, mine)) {
            Build other = running.get();
            if (other == null) {
                continue;
            }
            if (!other.automatic()) {
                BuildProgress p = progress;
                throw new BuildInProgressException("an index build is already running"
                        + (p == null ? "" : " (" + p.done() + "/" + p.total() + " images)"));
            }
            try {
                other.done().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildFailedException("interrupted while waiting for the running build", e);
            }
        }
        try {
            return runBuild(listener);
        } finally {
            endBuild(mine);
        }
    }

    /**
     * Starts a build on the engine's build thread. False if a build already runs, or if the model, dataset or
     * database is missing (see {@link #status()}).
     */
    public boolean rebuildAsync(ProgressListener listener) {
        try {
            requireBuildable();
        } catch (NotReadyException e) {
            LOG.warning("index build not started: " + e.getMessage());
            return false;
        }
        return startAsync(listener, false);
    }

    private boolean startAsync(ProgressListener listener, boolean automatic) {
        Build mine = new Build(automatic, new CountDownLatch(1));
        if (closed || !running.compareAndSet(null, mine)) {
            return false;
        }
        try {
            buildThread.execute(() -> {
                try {
                    runBuild(listener);
                } catch (RuntimeException e) {
                    // recorded in lastBuildError by runBuild
                } finally {
                    endBuild(mine);
                }
            });
        } catch (RuntimeException e) {
            endBuild(mine);
            return false;
        }
        return true;
    }

    /** A running build: who started it, and a latch opened when it ends. */
    private record Build(boolean automatic, CountDownLatch done) {
    }

    private void endBuild(Build build) {
        progress = null;
        running.compareAndSet(build, null);
        build.done().countDown();
    }

    private void requireBuildable() throws NotReadyException {
        if (closed) {
            throw new NotReadyException("the engine is closed");
        }
        if (embedder == null) {
            throw new NotReadyException(modelProblem);
        }
        if (store == null) {
            throw new NotReadyException(storeProblem);
        }
        datasetCheckedAt = 0;
        String dataset = datasetProblem();
        if (dataset != null) {
            // an empty or unmounted folder would otherwise wipe the index
            throw new NotReadyException(dataset);
        }
    }

    private BuildResult runBuild(ProgressListener caller) {
        BuildProgress[] finalEvent = new BuildProgress[1];
        ProgressListener fanOut = p -> {
            progress = p;
            if (p.finished()) {
                finalEvent[0] = p;  // forwarded after the new snapshot is in place
                return;
            }
            if (caller != null) {
                caller.onProgress(p);
            }
            notifyListeners(p);
        };
        try {
            BuildResult result = new IndexBuilder(store, embedder, decoder, config.datasetDir()).build(fanOut);
            IndexSnapshot fresh = store.load().orElseThrow(
                    () -> new IndexStoreException("the index was committed but reads back empty"));
            snapshot.set(fresh);
            lastBuild = result;
            lastBuildError = null;
            rebuildReason = null;
            if (finalEvent[0] != null) {
                if (caller != null) {
                    try {
                        caller.onProgress(finalEvent[0]);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "progress listener failed on the final event", e);
                    }
                }
                notifyListeners(finalEvent[0]);
            }
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("the index build was interrupted", e);
        } catch (IOException | IndexStoreException | RuntimeException e) {
            throw failed("the index build failed: " + e.getMessage(), e);
        }
    }

    private BuildFailedException failed(String message, Exception cause) {
        String text = message + (snapshot.get() == null ? "" : "; the previous index is still served");
        lastBuildError = message;
        LOG.log(Level.WARNING, text, cause);
        return new BuildFailedException(text, cause);
    }

    private void notifyListeners(BuildProgress p) {
        for (ProgressListener l : listeners) {
            try {
                l.onProgress(p);
            } catch (RuntimeException e) {
                // one broken subscriber (say, a closed SSE stream) must not stop the build
                LOG.log(Level.FINE, "progress listener failed", e);
            }
        }
    }

    /** Progress of the running build. */
    public Optional<BuildProgress> progress() {
        return running.get() != null ? Optional.ofNullable(progress) : Optional.empty();
    }

    public Optional<BuildResult> lastBuild() {
        return Optional.ofNullable(lastBuild);
    }

    /** Subscribes to the progress of every build. */
    public void addProgressListener(ProgressListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    public void removeProgressListener(ProgressListener l) {
        listeners.remove(l);
    }

    /** Waits until no build runs; true if idle within the timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Build b = running.get(); b != null; b = running.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            b.done().await(left, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** Stops a running asynchronous build (its transaction is rolled back), then closes the database and model. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buildThread.shutdownNow();
        try {
            if (!buildThread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("the index build did not stop within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store != null) {
            store.close();
        }
        if (embedder != null) {
            try {
                embedder.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the model failed", e);
            }
        }
    }
}
