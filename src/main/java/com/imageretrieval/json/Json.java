package com.imageretrieval.json;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import java.util.List;
import java.util.Map;

/**
 * The JSON vocabulary of the product: the bodies the REST API answers and the CLI prints. JSON-B writes record
 * components by name (the server's JSON-B in the WAR, Yasson bundled in the CLI jar), in lexicographic order, and
 * leaves null components out, so a field the CLI cannot know (an image's {@code url}: there is no server) is absent
 * rather than spelled differently. {@link JsonAssembler} makes them from the engine's types.
 */
public final class Json {

    private Json() {
    }

    public record Health(String status, boolean modelLoaded, boolean indexReady, int images, String message) {
    }

    public record Stats(int images, int dimension, String generatedAt, String device, String model,
            Map<String, Integer> classes, boolean textSearch) {
    }

    public record GalleryImage(long id, String path, String url, String label) {
    }

    public record ClassCount(String name, int count) {
    }

    public record Gallery(List<GalleryImage> images, List<ClassCount> classes, int total) {
    }

    /** One hit; {@code url} is null (left out) on the command line. */
    public record SearchResult(int rank, float similarity, long id, String path, String url, String label) {
    }

    public record Search(List<SearchResult> results, int topK, long tookMs) {
    }

    /** "More like this": the image searched with, and its most similar other images. */
    public record Similar(GalleryImage image, List<SearchResult> results, int topK, long tookMs) {
    }

    /** One image of a duplicate group; {@code similarity} to the group's first image; {@code url} as above. */
    public record DuplicateImage(long id, String path, String url, String label, float similarity,
            boolean identical) {
    }

    /** {@code sha256} only when {@code exact} (JSON-B leaves null out). */
    public record DuplicateGroup(boolean exact, String sha256, List<DuplicateImage> images) {
    }

    public record Duplicates(double threshold, int images, long pairs, List<DuplicateGroup> groups, long tookMs,
            String generatedAt) {
    }

    /**
     * Leave-one-out evaluation. The figures are maps so that their keys can be "p@1", "p@5", "p@10", "map".
     */
    public record Evaluation(Map<String, Double> overall, Map<String, Map<String, Double>> perClass,
            Map<String, Map<String, Integer>> confusion, int images, int queries, int unlabelled, long tookMs,
            String generatedAt) {
    }

    /** Admin only: {@code detail} is the engine's unredacted status message; lastBuild lists failed files. */
    public record ReindexStatus(boolean building, int images, BuildProgress progress, BuildResult lastBuild,
            String detail) {
    }

    public record ReindexStarted(String status, String progressUrl) {
    }
}
