package com.imageretrieval.cli;

import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.json.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CLI's commands that need the retrieval engine. The CLI's own value types keep {@link Main} (parsing,
 * output) independent of the engine; {@code EngineCommands} implements this on top of
 * {@code com.imageretrieval.engine.RetrievalEngine}.
 */
public interface IndexCommands {

    /** One progress report of a build. */
    record Progress(int done, int total, int failed, double imagesPerSecond, long etaSeconds) {
    }

    /** The outcome of a build. */
    record Summary(int total, int embedded, int reused, int removed, int failed, long millis, double imagesPerSecond) {
    }

    /**
     * Builds or updates the index of {@code config.datasetDir()} (blocking).
     *
     * @throws Exception with a one-line message naming what is missing (model path, dataset folder)
     */
    Summary buildIndex(AppConfig config, Consumer<Progress> progress) throws Exception;

    /**
     * Searches the existing index with the image at {@code queryImage}; results as the API writes them, without
     * URLs ({@code path} is relative to the dataset root with '/' separators).
     *
     * @throws Exception with a one-line message (no index yet, unreadable image, missing model)
     */
    List<Json.SearchResult> search(AppConfig config, Path queryImage, int topK) throws Exception;

    /**
     * Searches the existing index with a text, embedded by the text encoder (TEXT_MODEL_PATH, TOKENIZER_PATH).
     *
     * @throws Exception with a one-line message (no index yet, no text model configured or loadable)
     */
    List<Json.SearchResult> searchText(AppConfig config, String text, int topK) throws Exception;

    /**
     * Leave-one-out evaluation of the existing index on its folder labels.
     *
     * @throws Exception with a one-line message (no index yet, no labels, missing model)
     */
    EvaluationResult evaluate(AppConfig config) throws Exception;

    /**
     * Near-duplicate and byte-identical groups of the existing index.
     *
     * @throws Exception with a one-line message (no index yet, missing model)
     */
    DuplicateReport duplicates(AppConfig config, double threshold) throws Exception;
}
