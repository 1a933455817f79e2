package com.imageretrieval.engine;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.ProgressListener;
import com.imageretrieval.index.SearchHit;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

/** TEMP stand-in of the engine facade (owned by the index helper): same signatures, trivial bodies. */
public final class RetrievalEngine implements AutoCloseable {
    private final AppConfig config;

    private RetrievalEngine(AppConfig config) { this.config = config; }

    public static RetrievalEngine open(AppConfig config, EmbedderFactory factory) { return new RetrievalEngine(config); }
    public static RetrievalEngine open(AppConfig config) { return new RetrievalEngine(config); }
    public AppConfig config() { return config; }
    public EngineStatus status() {
        return new EngineStatus(false, false, false, 0, "degraded", "TEMP stand-in engine: the core is not integrated");
    }
    public Optional<IndexSnapshot> snapshot() { return Optional.empty(); }
    public Optional<Embedder> embedder() { return Optional.empty(); }
    public List<SearchHit> search(BufferedImage query, int topK) throws NotReadyException {
        throw new NotReadyException("TEMP stand-in engine: no index");
    }
    public List<SearchHit> search(float[] unitQuery, int topK) throws NotReadyException {
        throw new NotReadyException("TEMP stand-in engine: no index");
    }
    public BuildResult rebuild(ProgressListener listener) throws BuildInProgressException, NotReadyException {
        throw new NotReadyException("TEMP stand-in engine: cannot build");
    }
    public boolean rebuildAsync(ProgressListener listener) { return false; }
    public Optional<BuildProgress> progress() { return Optional.empty(); }
    public Optional<BuildResult> lastBuild() { return Optional.empty(); }
    public void addProgressListener(ProgressListener l) { }
    public void removeProgressListener(ProgressListener l) { }
    @Override public void close() { }
}
