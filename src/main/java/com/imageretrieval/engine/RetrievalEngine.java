package com.imageretrieval.engine;

import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationException;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.NearDuplicates;
import com.imageretrieval.analysis.RetrievalEvaluation;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.features.OnnxEmbedder;
import com.imageretrieval.features.Threading;
import com.imageretrieval.features.text.OnnxTextEncoder;
import com.imageretrieval.features.text.TextEncoder;
import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.GalleryPage;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexBackend;
import com.imageretrieval.index.IndexBuilder;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.index.IndexUnavailableException;
import com.imageretrieval.index.IndexView;
import com.imageretrieval.index.ProgressListener;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.index.SimilarImages;
import com.imageretrieval.metrics.SearchStage;
import com.imageretrieval.metrics.SearchTimings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one facade the CLI and the web layer use: the embedding model, the index backend and the searchable index.
 * It delegates: {@link StartupRecovery} opens the index (corrupt file moved aside, other model detected),
 * {@link BuildCoordinator} runs builds one at a time, {@link StatusReport} words the state, and the backend's
 * {@link IndexView} answers searches, the gallery and the stats.
 *
 * <p>Concurrency: searches read the current {@link IndexView} from an {@link AtomicReference} and never lock or
 * wait; a build writes through the backend and swaps the freshly loaded view in at the end, so searches during a
 * build answer from the previous one.
 *
 * <p>Start-up never throws for a missing or broken model, dataset or index: the problem is recorded and reported by
 * {@link #status()}, with the variable to set or the command to run.
 */
public final class RetrievalEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RetrievalEngine.class.getName());
    /** How often a shared backend is asked again for an index this process does not have yet. */
    private static final long SHARED_LOOK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final AppConfig config;
    private final Embedder embedder;
    private final String modelProblem;
    /** The text half of a dual encoder (TEXT_MODEL_PATH), null when text search is off; why, in textProblem. */
    private final TextEncoder textEncoder;
    private final String textProblem;
    private final IndexBackend backend;
    /** Why the backend cannot be used; a shared backend's problem clears once it answers again. */
    private volatile String backendProblem;
    /** When a shared backend was last asked for an index built elsewhere (System.nanoTime, 0 = never). */
    private volatile long lookedAt;
    private final ImageDecoder decoder;
    private final DatasetCheck dataset;
    private final BuildCoordinator builds;

    private final AtomicReference<IndexView> view = new AtomicReference<>();
    /** Analyses cached per index content: a rebuild that changed an image or a vector invalidates them. */
    private final RetrievalEvaluation evaluation = new RetrievalEvaluation();
    private final NearDuplicates duplicates = new NearDuplicates();

    /** Why the index is being (re)built without anyone asking: corrupt file, other model, none yet. */
    private volatile String rebuildReason;
    private volatile boolean closed;

    private RetrievalEngine(AppConfig config, EmbedderFactory factory) {
        this.config = Objects.requireNonNull(config, "config");
        this.decoder = new ImageDecoder(config.maxImagePixels());
        this.dataset = new DatasetCheck(config);

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

        TextSide text = openTextEncoder(config, embedder, modelProblem);
        this.textEncoder = text.encoder();
        this.textProblem = text.problem();

        StartupRecovery.Outcome opened = StartupRecovery.open(config, embedder);
        this.backend = opened.backend();
        this.backendProblem = opened.problem();
        this.rebuildReason = opened.rebuildReason();
        this.view.set(opened.view());
        this.builds = new BuildCoordinator(this::buildAndSwap, () -> view.get() != null);
    }

    /** The text encoder, or why there is none. */
    private record TextSide(TextEncoder encoder, String problem) {
    }

    /**
     * Opens TEXT_MODEL_PATH + TOKENIZER_PATH when set. Never throws: a text model that cannot be loaded or does not
     * match the image model leaves image search as it is and text search off, with the reason.
     */
    private static TextSide openTextEncoder(AppConfig config, Embedder image, String imageProblem) {
        if (config.textModelPath() == null) {
            return new TextSide(null, "text search is off: set TEXT_MODEL_PATH and TOKENIZER_PATH to the text encoder"
                    + " of a CLIP-style dual encoder whose image encoder is MODEL_PATH");
        }
        String why;
        if (image == null) {
            why = "text search needs the image model, which is not loaded: " + imageProblem;
        } else {
            try {
                TextEncoder text = OnnxTextEncoder.open(config.textModelPath(), config.tokenizerPath());
                if (text.dimension() == image.dimension()) {
                    return new TextSide(text, null);
                }
                why = "the text model " + config.textModelPath() + " gives " + text.dimension() + "-d vectors, the"
                        + " image model " + config.modelPath() + " " + image.dimension() + "-d: they must be the two"
                        + " halves of one dual encoder (e.g. a CLIP export's text_model.onnx and vision_model.onnx)";
                text.close();
            } catch (Exception | LinkageError ex) {
                why = "the text model could not be loaded: " + ex.getMessage();
            }
        }
        LOG.warning(why);
        return new TextSide(null, why);
    }

    /** Opens with a given embedder factory (tests, or a model other than the configured ONNX file). */
    public static RetrievalEngine open(AppConfig config, EmbedderFactory factory) {
        RetrievalEngine engine = new RetrievalEngine(config, Objects.requireNonNull(factory, "factory"));
        engine.startAutomaticBuildIfNeeded();
        return engine;
    }

    /** Opens with the ONNX model at {@code config.modelPath()}, threaded for searches ({@link Threading#ADAPTIVE}). */
    public static RetrievalEngine open(AppConfig config) {
        return open(config, onnxEmbedders(Threading.ADAPTIVE));
    }

    /**
     * The ONNX model at {@code config.modelPath()} with a threading mode: ADAPTIVE where searches are answered,
     * THROUGHPUT for a process that only builds (the command line's build-index).
     */
    public static EmbedderFactory onnxEmbedders(Threading threading) {
        return config -> {
            if (!Files.isRegularFile(config.modelPath())) {
                throw new NoSuchFileException(config.modelPath().toString(), null, "model file not found");
            }
            return OnnxEmbedder.open(config.modelPath(), config.ortDevice(), config.preprocessing(), threading);
        };
    }

    /** The exact text shown when the model file is missing. */
    public static String modelMissingMessage(AppConfig config) {
        return "model not found at " + config.modelPath().toAbsolutePath() + ": set MODEL_PATH or run"
                + " `download-model` (MODEL_URL=" + config.modelUrl() + ")";
    }

    /** The exact text shown when the dataset folder is missing or holds no image. */
    public static String datasetMissingMessage(AppConfig config) {
        return DatasetCheck.missingMessage(config);
    }

    private void startAutomaticBuildIfNeeded() {
        if (embedder == null || backend == null || view.get() != null || dataset.problem() != null) {
            return;
        }
        if (rebuildReason == null) {
            rebuildReason = "no index found at " + backend.location() + ": the index is being rebuilt from the"
                    + " dataset";
        }
        builds.startAsync(null, true);
    }

    public AppConfig config() {
        return config;
    }

    public Optional<Embedder> embedder() {
        return Optional.ofNullable(embedder);
    }

    /** The h2 backend's in-memory snapshot, for this package's tests; empty for other backends. */
    Optional<IndexSnapshot> snapshot() {
        return view.get() instanceof IndexSnapshot s ? Optional.of(s) : Optional.empty();
    }

    /** Current state; cheap enough to poll (the dataset check is cached for a few seconds). */
    public EngineStatus status() {
        lookForSharedIndex();
        IndexView v = view.get();
        String indexProblem = backendProblem;
        if (v != null) {
            try {
                v.size();  // a remote index that stopped answering makes the node degraded, with the setting to check
            } catch (IndexUnavailableException e) {
                indexProblem = e.getMessage();
                v = null;
            }
        }
        return new StatusReport(modelProblem, dataset.problem(), indexProblem, v, builds.building(),
                builds.automaticRunning(), builds.progress().orElse(null), rebuildReason, builds.lastError(),
                embedder == null ? null : embedder.device()).status();
    }

    // ---- reading: every backend answers with the same types -------------------------------------------------

    /** Embeds the image with the loaded model and searches the current index. Thread-safe, never blocks. */
    public List<SearchHit> search(BufferedImage query, int topK) throws NotReadyException {
        return search(query, topK, SearchFilter.NONE);
    }

    /** Searches the current index with a unit vector of the index's dimension. */
    public List<SearchHit> search(float[] unitQuery, int topK) throws NotReadyException {
        return search(unitQuery, topK, SearchFilter.NONE);
    }

    /**
     * Embeds the image and returns the best {@code topK} images that pass {@code filter} (label, lowest similarity);
     * the filter is applied inside the search, so a filtered search still returns {@code topK} images.
     */
    public List<SearchHit> search(BufferedImage query, int topK, SearchFilter filter) throws NotReadyException {
        IndexView v = requireView();
        return read(() -> v.search(embedder.embed(query), topK, filter));
    }

    /**
     * As {@link #search(BufferedImage, int, SearchFilter)}, charging preprocessing, inference and the scan to
     * {@code timings} (for the latency histograms of the web layer and the benchmark).
     */
    public List<SearchHit> search(BufferedImage query, int topK, SearchFilter filter, SearchTimings timings)
            throws NotReadyException {
        IndexView v = requireView();
        float[] tensor = embedder.preprocess(query);
        timings.lap(SearchStage.PREPROCESS);
        float[] vector = embedder.embedPreprocessed(List.of(tensor))[0];
        timings.lap(SearchStage.INFERENCE);
        List<SearchHit> hits = read(() -> v.search(vector, topK, filter));
        timings.lap(SearchStage.SCAN);
        return hits;
    }

    /** Searches with a unit vector of the index's dimension and a filter. */
    public List<SearchHit> search(float[] unitQuery, int topK, SearchFilter filter) throws NotReadyException {
        IndexView v = requireView();
        return read(() -> v.search(unitQuery, topK, filter));
    }

    /** Whether {@link #searchText} can answer (a text encoder matching the image model is loaded). */
    public boolean textSearchAvailable() {
        return textEncoder != null;
    }

    /** Why text search is off (TEXT_MODEL_PATH unset, load failure, dimension mismatch); empty when it is on. */
    public Optional<String> textSearchProblem() {
        return Optional.ofNullable(textProblem);
    }

    /**
     * Text to image search: embeds {@code text} with the text encoder and runs the same filtered search as an image
     * query, so it works with whatever index answers {@link #search(float[], int, SearchFilter)}.
     *
     * @throws TextSearchUnavailableException when no text encoder is loaded (the message says why)
     */
    public List<SearchHit> searchText(String text, int topK, SearchFilter filter)
            throws NotReadyException, TextSearchUnavailableException {
        if (textEncoder == null) {
            throw new TextSearchUnavailableException(textProblem);
        }
        float[] query = textEncoder.embed(text);
        if (isZero(query)) {
            // A text the encoder maps to no direction at all (possible only with unusual models: every word unknown
            // and no special tokens) is similar to nothing. Answered here, the same on every backend (a cosine k-NN
            // index refuses a zero vector, the in-memory scan would rank by nothing).
            requireView();
            return List.of();
        }
        return search(query, topK, filter);
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    /**
     * "More like this": the images most similar to indexed image {@code imageId}, searched with its stored vector
     * (no decoding or model run); the image itself is left out. The answer carries the image's record too, read
     * with its vector (one request less than {@link #image} and then this on a remote index).
     *
     * @throws ImageNotFoundException if the current index has no image with this id
     */
    public SimilarImages similar(long imageId, int topK, SearchFilter filter)
            throws NotReadyException, ImageNotFoundException {
        IndexView v = requireView();
        return read(() -> v.similar(imageId, topK, filter)).orElseThrow(() -> new ImageNotFoundException(imageId));
    }

    /**
     * One indexed image.
     *
     * @throws ImageNotFoundException if the current index has no image with this id
     */
    public ImageRecord image(long imageId) throws NotReadyException, ImageNotFoundException {
        IndexView v = requireView();
        return read(() -> v.byId(imageId)).orElseThrow(() -> new ImageNotFoundException(imageId));
    }

    /** One page of the indexed images ordered by path, of one label or of all ({@code label} null or empty). */
    public GalleryPage gallery(String label, int offset, int limit) throws NotReadyException {
        IndexView v = requireView();
        return read(() -> v.gallery(label, offset, limit));
    }

    /** Size, dimension, build metadata and images per label of the current index. */
    public IndexStats stats() throws NotReadyException {
        IndexView v = requireView();
        return read(() -> new IndexStats(v.size(), v.dimension(), v.metadata(), v.classCounts()));
    }

    /**
     * Leave-one-out retrieval quality of the current index on its folder labels, computed on the first call after a
     * build that changed the index (seconds for a few thousand images) and cached.
     *
     * @throws EvaluationException if no label has two images
     */
    public EvaluationResult evaluation() throws NotReadyException, EvaluationException {
        return evaluation.of(inMemory());
    }

    /**
     * Groups of near-identical (cosine {@code >= threshold}) and byte-identical images in the current index; the last
     * answer is cached per index content and threshold.
     *
     * @throws IllegalArgumentException if the threshold is outside [-1, 1]
     */
    public DuplicateReport duplicates(double threshold) throws NotReadyException {
        return duplicates.find(inMemory(), threshold);
    }

    private IndexSnapshot inMemory() throws NotReadyException {
        IndexView v = requireView();
        try {
            return read(v::inMemory);
        } catch (IndexStoreException e) {
            throw new NotReadyException(e.getMessage());
        }
    }

    /**
     * A shared backend (opensearch) without a searchable index here: another node may have built it, or the cluster
     * may be back. Looks at most every few seconds, never during this node's own build (it swaps in at the end).
     */
    private void lookForSharedIndex() {
        if (backend == null || !backend.shared() || embedder == null || view.get() != null || builds.building()
                || closed) {
            return;
        }
        long now = System.nanoTime();
        if (lookedAt != 0 && now - lookedAt < SHARED_LOOK_NANOS) {
            return;
        }
        lookedAt = now == 0 ? 1 : now;
        try {
            StartupRecovery.Outcome o = StartupRecovery.adopt(backend, backend.load(), embedder, null);
            backendProblem = null;
            if (o.view() != null) {
                view.compareAndSet(null, o.view());
            }
        } catch (IndexStoreException e) {
            backendProblem = e.getMessage();
        }
    }

    private IndexView requireView() throws NotReadyException {
        if (embedder == null) {
            throw new NotReadyException(modelProblem);
        }
        lookForSharedIndex();
        IndexView v = view.get();
        if (v == null) {
            String why = status().message();
            throw new NotReadyException(why == null || why.isBlank() ? "the index is not ready yet" : why);
        }
        return v;
    }

    /** A read of the index; a remote backend that does not answer makes it "not ready" (503), not a crash. */
    @FunctionalInterface
    private interface Read<T, X extends Exception> {
        T get() throws X;
    }

    private static <T, X extends Exception> T read(Read<T, X> r) throws X, NotReadyException {
        try {
            return r.get();
        } catch (IndexUnavailableException e) {
            throw new NotReadyException(e.getMessage());
        }
    }

    // ---- building --------------------------------------------------------------------------------------------

    /**
     * Brings the index up to date on the calling thread and swaps the new one in. If the engine's own start-up
     * build is running, waits for it first (then this pass is quick: everything is reused).
     *
     * @param listener progress; an exception it throws aborts the build (the previous index stays)
     * @throws NotReadyException         if the model, the dataset or the index backend is not available
     * @throws BuildInProgressException  if another requested build is running
     * @throws BuildFailedException      if the build failed; the previous index is still served
     */
    public BuildResult rebuild(ProgressListener listener) throws BuildInProgressException, NotReadyException {
        requireBuildable();
        return builds.runNow(listener);
    }

    /**
     * Starts a build on the engine's build thread. False if a build already runs, or if the model, dataset or
     * index backend is missing (see {@link #status()}).
     */
    public boolean rebuildAsync(ProgressListener listener) {
        try {
            requireBuildable();
        } catch (NotReadyException e) {
            LOG.warning("index build not started: " + e.getMessage());
            return false;
        }
        return builds.startAsync(listener, false);
    }

    /**
     * If another process (another app node) is building the shared index now, what to say to whoever asked for a
     * build here; empty otherwise, or if that cannot be told (the build itself then decides).
     */
    public Optional<String> buildingElsewhere() {
        if (backend == null) {
            return Optional.empty();
        }
        try {
            return backend.buildingElsewhere();
        } catch (IndexStoreException e) {
            return Optional.empty();
        }
    }

    private void requireBuildable() throws NotReadyException {
        if (closed) {
            throw new NotReadyException("the engine is closed");
        }
        if (embedder == null) {
            throw new NotReadyException(modelProblem);
        }
        if (backend == null) {
            throw new NotReadyException(backendProblem);
        }
        String problem = dataset.freshProblem();
        if (problem != null) {
            // an empty or unmounted folder would otherwise wipe the index
            throw new NotReadyException(problem);
        }
    }

    /** The job {@link BuildCoordinator} runs: write through the backend, load what was committed, swap it in. */
    private BuildResult buildAndSwap(ProgressListener progress) throws Exception {
        BuildResult result = new IndexBuilder(backend, embedder, decoder, config.datasetDir())
                .maxFileBytes(config.maxFileBytes()).build(progress);
        IndexView fresh = backend.load().orElseThrow(
                () -> new IndexStoreException("the index was committed but reads back empty"));
        view.set(fresh);
        rebuildReason = null;
        backendProblem = null;
        return result;
    }

    /** Progress of the running build. */
    public Optional<BuildProgress> progress() {
        return builds.progress();
    }

    public Optional<BuildResult> lastBuild() {
        return builds.lastBuild();
    }

    /** Subscribes to the progress of every build. */
    public void addProgressListener(ProgressListener l) {
        builds.addListener(l);
    }

    public void removeProgressListener(ProgressListener l) {
        builds.removeListener(l);
    }

    /** Waits until no build runs; true if idle within the timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return builds.awaitIdle(timeout);
    }

    /** Stops a running asynchronous build (its writes are abandoned), then closes the backend and the model. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        builds.close();
        if (backend != null) {
            backend.close();
        }
        if (textEncoder != null) {
            try {
                textEncoder.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "closing the text model failed", e);
            }
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
