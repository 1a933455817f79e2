package com.imageretrieval.web.api;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import java.util.List;
import java.util.Map;

/** The API's response bodies (JSON-B writes record components by name). */
public final class Json {

    private Json() {
    }

    public record Health(String status, boolean modelLoaded, boolean indexReady, int images, String message) {
    }

    public record Stats(int images, int dimension, String generatedAt, String device, String model,
            Map<String, Integer> classes) {
    }

    public record GalleryImage(long id, String path, String url, String label) {
    }

    public record ClassCount(String name, int count) {
    }

    public record Gallery(List<GalleryImage> images, List<ClassCount> classes, int total) {
    }

    public record SearchResult(int rank, float similarity, long id, String path, String url, String label) {
    }

    public record Search(List<SearchResult> results, int topK, long tookMs) {
    }

    public record ReindexStatus(boolean building, int images, BuildProgress progress, BuildResult lastBuild) {
    }

    public record ReindexStarted(String status, String progressUrl) {
    }
}
