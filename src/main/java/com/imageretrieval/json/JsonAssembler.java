package com.imageretrieval.json;

import com.imageretrieval.analysis.DuplicateGroup;
import com.imageretrieval.analysis.DuplicateReport;
import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.RetrievalMetrics;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.SearchHit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Engine types to {@link Json} bodies: the one mapping the REST resources and the CLI share, so both spell every
 * field the same way. Image URLs are the caller's ({@link ImageUrls}): the web layer knows its context root and
 * static prefix, the CLI has none.
 */
public final class JsonAssembler {

    /** The URL under which an indexed image is served, from its dataset-relative path; null when there is none. */
    @FunctionalInterface
    public interface ImageUrls {
        /** No server, no URLs (the CLI): the {@code url} fields are left out. */
        ImageUrls NONE = path -> null;

        String of(String relativePath);
    }

    private JsonAssembler() {
    }

    public static Json.GalleryImage image(ImageRecord r, ImageUrls urls) {
        return new Json.GalleryImage(r.id(), r.path(), urls.of(r.path()), r.label());
    }

    public static List<Json.SearchResult> results(List<SearchHit> hits, ImageUrls urls) {
        return hits.stream().map(h -> new Json.SearchResult(h.rank(), h.similarity(), h.image().id(),
                h.image().path(), urls.of(h.image().path()), h.image().label())).toList();
    }

    public static Json.Duplicates duplicates(DuplicateReport r, ImageUrls urls) {
        List<Json.DuplicateGroup> groups = r.groups().stream().map(g -> new Json.DuplicateGroup(g.exact(),
                g.sha256(), g.members().stream().map(m -> duplicate(m, urls)).toList())).toList();
        return new Json.Duplicates(r.threshold(), r.images(), r.pairs(), groups, r.millis(),
                r.generatedAt().toString());
    }

    private static Json.DuplicateImage duplicate(DuplicateGroup.Member m, ImageUrls urls) {
        return new Json.DuplicateImage(m.image().id(), m.image().path(), urls.of(m.image().path()),
                m.image().label(), m.similarity(), m.identical());
    }

    public static Json.Evaluation evaluation(EvaluationResult r) {
        Map<String, Map<String, Double>> perClass = new LinkedHashMap<>();
        r.perClass().forEach((label, m) -> perClass.put(label, figures(m)));
        return new Json.Evaluation(figures(r.overall()), perClass, r.confusion(), r.images(), r.queries(),
                r.unlabelled(), r.millis(), r.generatedAt().toString());
    }

    /** {"p@1":..,"p@5":..,"p@10":..,"map":..} in this order. */
    public static Map<String, Double> figures(RetrievalMetrics m) {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("p@1", m.p1());
        f.put("p@5", m.p5());
        f.put("p@10", m.p10());
        f.put("map", m.map());
        return f;
    }
}
