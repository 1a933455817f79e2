package com.imageretrieval.cli;

import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationException;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.engine.TextSearchUnavailableException;
import com.imageretrieval.features.Threading;
import com.imageretrieval.image.DecodedImage;
import com.imageretrieval.image.ImageDecodeException;
import com.imageretrieval.image.ImageDecoder;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.ProgressListener;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * build-index, search, evaluate and duplicates on top of {@link RetrievalEngine}: a thin adapter from the engine's types to the CLI's.
 */
public final class EngineCommands implements IndexCommands {

    @Override
    public Summary buildIndex(AppConfig config, Consumer<Progress> progress) throws Exception {
        ProgressListener toCli = p -> progress.accept(
                new Progress(p.done(), p.total(), p.failed(), p.imagesPerSecond(), p.etaSeconds()));
        // Nothing in this process waits for a single image: one model run per core beats one run over all cores.
        try (RetrievalEngine engine = RetrievalEngine.open(config, RetrievalEngine.onnxEmbedders(Threading.THROUGHPUT))) {
            BuildResult r = null;
            if (engine.status().building()) {
                // open() starts the first build itself when there is no index yet. Report that build: a second
                // pass after it would only find everything up to date (and show a meaningless rate).
                engine.addProgressListener(toCli);
                try {
                    engine.awaitIdle(Duration.ofDays(1));
                } finally {
                    engine.removeProgressListener(toCli);
                }
                r = engine.lastBuild().orElse(null); // null: it failed, and rebuild() below says why
            }
            if (r == null) {
                r = engine.rebuild(toCli);
            }
            return new Summary(r.total(), r.embedded(), r.reused(), r.removed(), r.failed(), r.millis(),
                    r.imagesPerSecond());
        }
    }

    @Override
    public List<Json.SearchResult> search(AppConfig config, Path queryImage, int topK) throws Exception {
        DecodedImage query;
        try {
            query = new ImageDecoder(config.maxImagePixels()).decode(queryImage);
        } catch (ImageDecodeException e) {
            throw new CommandFailedException("cannot read the query image " + queryImage + ": " + e.getMessage());
        }
        try (RetrievalEngine engine = RetrievalEngine.open(config)) {
            List<SearchHit> hits;
            try {
                hits = engine.search(query.image(), topK);
            } catch (NotReadyException e) {
                throw noIndexOr(engine, config, e);
            }
            return JsonAssembler.results(hits, JsonAssembler.ImageUrls.NONE);
        }
    }

    @Override
    public List<Json.SearchResult> searchText(AppConfig config, String text, int topK) throws Exception {
        try (RetrievalEngine engine = openWithoutImageRuns(config)) {
            try {
                return JsonAssembler.results(engine.searchText(text, topK, SearchFilter.NONE),
                        JsonAssembler.ImageUrls.NONE);
            } catch (NotReadyException e) {
                throw noIndexOr(engine, config, e);
            } catch (TextSearchUnavailableException e) {
                throw new CommandFailedException(e.getMessage());
            }
        }
    }

    @Override
    public EvaluationResult evaluate(AppConfig config) throws Exception {
        try (RetrievalEngine engine = openWithoutImageRuns(config)) {
            try {
                return engine.evaluation();
            } catch (NotReadyException e) {
                throw noIndexOr(engine, config, e);
            } catch (EvaluationException e) {
                throw new CommandFailedException("cannot evaluate the index: " + e.getMessage());
            }
        }
    }

    @Override
    public DuplicateReport duplicates(AppConfig config, double threshold) throws Exception {
        try (RetrievalEngine engine = openWithoutImageRuns(config)) {
            try {
                return engine.duplicates(threshold);
            } catch (NotReadyException e) {
                throw noIndexOr(engine, config, e);
            }
        }
    }

    /**
     * For commands that do not embed images (text search, evaluation and duplicates read the stored vectors; the image
     * model only proves the index is its own, with one probe run at start-up): one single-threaded session instead of
     * ADAPTIVE's two, so the process starts with half the model memory and session set-up.
     */
    private static RetrievalEngine openWithoutImageRuns(AppConfig config) {
        return RetrievalEngine.open(config, RetrievalEngine.onnxEmbedders(Threading.THROUGHPUT));
    }

    /**
     * "No index yet: run build-index" when the model is fine but there is no index (open() may have started a first
     * build in the background; close() stops it again; from the command line the fix is build-index, which shows
     * progress); else the engine's own message.
     */
    private static Exception noIndexOr(RetrievalEngine engine, AppConfig config, NotReadyException e) {
        if (engine.status().modelLoaded() && !engine.status().indexReady()) {
            return new CommandFailedException("no index yet in " + config.artifactsDir() + ": run "
                    + (Files.isDirectory(config.datasetDir()) ? "" : "download-data, then ") + "build-index");
        }
        return e;
    }
}
