package com.imageretrieval.index.opensearch;

import com.imageretrieval.index.GalleryPage;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.index.IndexUnavailableException;
import com.imageretrieval.index.IndexView;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.index.SimilarImages;
import com.imageretrieval.index.VectorMatrix;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads of the OpenSearch index through its alias: always the cluster's current state, so a change committed by any
 * node is seen by every node.
 *
 * <p>Similarity: the field's space is {@code cosinesimil}, whose score is {@code (1 + cos) / 2}; hits report
 * {@code cos = 2 * score - 1}, and {@code minSimilarity} cuts the ranked list on that value (the list is ordered by
 * it, so this is the same as filtering inside the search). The label filter runs inside the k-NN search (Lucene
 * efficient filtering), so a filtered search still returns k images when k pass.
 */
public final class OpenSearchView implements IndexView {

    /** The analyses hold every vector in memory; beyond this many images they are refused (see docs/scale-out.md). */
    public static final int MAX_IN_MEMORY = 50_000;
    private static final long METADATA_REUSE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long COUNT_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long IN_MEMORY_REUSE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final OpenSearchIndex index;
    /** As committed by the last build of any node; re-read every few seconds (another node may have built). */
    private volatile IndexMetadata metadata;
    private volatile long metadataAt;
    /** Why this view must not be searched (the alias moved to another model's index), or null. */
    private volatile String foreignModel;
    private volatile long countAt;
    private volatile int count;
    private volatile long inMemoryAt;
    private volatile IndexSnapshot inMemory;

    OpenSearchView(OpenSearchIndex index, IndexMetadata metadata) {
        this.index = index;
        this.metadata = metadata;
        this.metadataAt = System.nanoTime();
    }

    /** The model and dimension never change behind a view (a model change makes a new one); time and count may. */
    @Override
    public IndexMetadata metadata() {
        long now = System.nanoTime();
        if (now - metadataAt > METADATA_REUSE_NANOS) {
            metadataAt = now;
            try {
                Optional<IndexMetadata> latest = index.current().map(e -> OpenSearchIndex.metadata(e.getValue()))
                        .filter(m -> m.builtAt() != null);
                if (latest.isPresent()) {
                    IndexMetadata m = latest.get();
                    if (m.dimension() == metadata.dimension()
                            && java.util.Objects.equals(m.modelHash(), metadata.modelHash())) {
                        metadata = m;
                        foreignModel = null;
                    } else {
                        foreignModel = "the index " + index.alias() + " now holds the vectors of another model ("
                                + m.modelName() + ", " + m.modelHash() + ", " + m.dimension() + "-d) than this node's ("
                                + metadata.modelName() + ", " + metadata.modelHash() + "): give every app node the"
                                + " same MODEL_PATH";
                    }
                }
            } catch (IndexStoreException e) {
                // keep the last known; reads that need the cluster report it themselves
            }
        }
        return metadata;
    }

    /** Queries of this node's model must not meet another model's vectors (a node whose model was changed). */
    private void requireSameModel() {
        metadata();
        String foreign = foreignModel;
        if (foreign != null) {
            throw new IndexUnavailableException(foreign, null);
        }
    }

    /** Documents behind the alias; reused for a second (status is polled). */
    @Override
    public int size() {
        requireSameModel();
        long now = System.nanoTime();
        if (countAt == 0 || now - countAt > COUNT_REUSE_NANOS) {
            OpenSearchClient.Response r = read(() -> index.client().get("/" + index.alias() + "/_count"), "count");
            count = r.object().getJsonNumber("count").intValue();
            countAt = now == 0 ? 1 : now;
        }
        return count;
    }

    @Override
    public int dimension() {
        return metadata.dimension();
    }

    /** A terms aggregation on the label, as large as the number of labels. */
    @Override
    public Map<String, Integer> classCounts() {
        JsonObject body = Json.createObjectBuilder().add("size", 0).add("aggs", Json.createObjectBuilder()
                .add("labels", Json.createObjectBuilder().add("terms", Json.createObjectBuilder()
                        .add("field", "label").add("size", 65_536).add("min_doc_count", 1)))).build();
        OpenSearchClient.Response r = read(() -> index.client().post("/" + index.alias() + "/_search", body),
                "count images per label");
        Map<String, Integer> counts = new TreeMap<>();
        for (JsonValue b : r.object().getJsonObject("aggregations").getJsonObject("labels").getJsonArray("buckets")) {
            counts.put(b.asJsonObject().getString("key"), b.asJsonObject().getJsonNumber("doc_count").intValue());
        }
        return Collections.unmodifiableMap(counts);
    }

    @Override
    public Optional<ImageRecord> byId(long id) {
        return document(id, false).map(OpenSearchIndex::record);
    }

    private Optional<JsonObject> document(long id, boolean withVector) {
        String path = "/" + index.alias() + "/_doc/" + id + (withVector ? "" : "?_source_excludes="
                + OpenSearchIndex.VECTOR);
        OpenSearchClient.Response r = readAllowing404(path);
        if (r.status() == 404 || !r.object().getBoolean("found", false)) {
            return Optional.empty();
        }
        return Optional.of(r.object().getJsonObject("_source"));
    }

    @Override
    public List<SearchHit> search(float[] unitQuery, int topK, SearchFilter filter) {
        return knn(unitQuery, topK, filter, -1);
    }

    /** Two requests: the document (record and vector in one GET), then the k-NN search with its vector. */
    @Override
    public Optional<SimilarImages> similar(long id, int topK, SearchFilter filter) {
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        Optional<JsonObject> doc = document(id, true);
        if (doc.isEmpty()) {
            return Optional.empty();
        }
        JsonArray v = doc.get().getJsonArray(OpenSearchIndex.VECTOR);
        float[] vector = new float[v.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) v.getJsonNumber(i).doubleValue();
        }
        return Optional.of(new SimilarImages(OpenSearchIndex.record(doc.get()), knn(vector, topK, filter, id)));
    }

    private List<SearchHit> knn(float[] q, int topK, SearchFilter filter, long excluded) {
        if (q.length != metadata.dimension()) {
            throw new IllegalArgumentException("query has dimension " + q.length + ", the index "
                    + metadata.dimension());
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK);
        }
        if (topK == 0) {
            return List.of();
        }
        requireSameModel();
        SearchFilter f = filter == null ? SearchFilter.NONE : filter;
        JsonObjectBuilder knn = Json.createObjectBuilder().add("vector", OpenSearchIndex.vectorJson(q)).add("k", topK)
                .add("method_parameters", Json.createObjectBuilder()
                        .add("ef_search", Math.max(topK, index.settings().efSearch())));
        JsonObjectBuilder bool = Json.createObjectBuilder();
        boolean filtered = false;
        if (f.label() != null) {
            bool.add("filter", Json.createArrayBuilder().add(Json.createObjectBuilder().add("term",
                    Json.createObjectBuilder().add("label", f.label()))));
            filtered = true;
        }
        if (excluded >= 0) {
            bool.add("must_not", Json.createArrayBuilder().add(Json.createObjectBuilder().add("ids",
                    Json.createObjectBuilder().add("values", Json.createArrayBuilder().add(Long.toString(excluded))))));
            filtered = true;
        }
        if (filtered) {
            knn.add("filter", Json.createObjectBuilder().add("bool", bool));
        }
        JsonObject body = Json.createObjectBuilder().add("size", topK)
                .add("_source", Json.createObjectBuilder().add("excludes", Json.createArrayBuilder()
                        .add(OpenSearchIndex.VECTOR)))
                .add("query", Json.createObjectBuilder().add("knn", Json.createObjectBuilder()
                        .add(OpenSearchIndex.VECTOR, knn))).build();
        OpenSearchClient.Response r = read(() -> index.client().post("/" + index.alias() + "/_search", body),
                "search");
        List<SearchHit> hits = new ArrayList<>(topK);
        for (JsonValue h : r.object().getJsonObject("hits").getJsonArray("hits")) {
            JsonObject hit = h.asJsonObject();
            float similarity = Math.max(-1f, Math.min(1f,
                    (float) (2 * hit.getJsonNumber("_score").doubleValue() - 1)));
            if (f.minSimilarity() != null && similarity < f.minSimilarity()) {
                break;  // ranked best first: the rest are lower still
            }
            hits.add(new SearchHit(hits.size() + 1, similarity, OpenSearchIndex.record(hit.getJsonObject("_source"))));
            if (hits.size() == topK) {
                break;
            }
        }
        return hits;
    }

    /** from/size sorted by path; pages beyond {@value OpenSearchIndex#MAX_RESULT_WINDOW} images come back empty. */
    @Override
    public GalleryPage gallery(String label, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must be >= 0, got " + offset + ", " + limit);
        }
        boolean all = label == null || label.isEmpty();
        int from = Math.min(offset, OpenSearchIndex.MAX_RESULT_WINDOW);
        int size = Math.max(0, Math.min(limit, OpenSearchIndex.MAX_RESULT_WINDOW - from));
        JsonObject query = all ? Json.createObjectBuilder().add("match_all", JsonValue.EMPTY_JSON_OBJECT).build()
                : Json.createObjectBuilder().add("term", Json.createObjectBuilder().add("label", label)).build();
        JsonObject body = Json.createObjectBuilder().add("from", from).add("size", size)
                .add("track_total_hits", true)
                .add("sort", Json.createArrayBuilder().add(Json.createObjectBuilder().add("path", "asc")))
                .add("_source", Json.createObjectBuilder().add("excludes", Json.createArrayBuilder()
                        .add(OpenSearchIndex.VECTOR)))
                .add("query", query).build();
        OpenSearchClient.Response r = read(() -> index.client().post("/" + index.alias() + "/_search", body),
                "page the gallery");
        JsonObject hits = r.object().getJsonObject("hits");
        List<ImageRecord> page = new ArrayList<>();
        for (JsonValue h : hits.getJsonArray("hits")) {
            page.add(OpenSearchIndex.record(h.asJsonObject().getJsonObject("_source")));
        }
        return new GalleryPage(page, hits.getJsonObject("total").getJsonNumber("value").intValue());
    }

    /**
     * Every record and vector, read with search_after in path order and reused for 30 s (the analyses are cached
     * by content on top of this, so an unchanged index is not analysed twice).
     *
     * @throws IndexStoreException if the index holds more than {@link #MAX_IN_MEMORY} images, or cannot be read
     */
    @Override
    public IndexSnapshot inMemory() throws IndexStoreException {
        long now = System.nanoTime();
        IndexSnapshot cached = inMemory;
        if (cached != null && now - inMemoryAt < IN_MEMORY_REUSE_NANOS) {
            return cached;
        }
        int n = size();
        if (n > MAX_IN_MEMORY) {
            throw new IndexStoreException("the near-duplicate and evaluation analyses hold every vector in memory and"
                    + " the index has " + n + " images, more than " + MAX_IN_MEMORY + ": run them on a sample"
                    + " (see docs/scale-out.md)");
        }
        int dim = metadata.dimension();
        List<ImageRecord> records = new ArrayList<>(n);
        List<float[]> vectors = new ArrayList<>(n);
        index.scan(true, src -> {
            JsonArray v = src.getJsonArray(OpenSearchIndex.VECTOR);
            float[] f = new float[dim];
            for (int i = 0; i < dim; i++) {
                f[i] = (float) v.getJsonNumber(i).doubleValue();
            }
            records.add(OpenSearchIndex.record(src));
            vectors.add(f);
        });
        IndexMetadata m = metadata;
        IndexSnapshot s = new IndexSnapshot(records, VectorMatrix.of(vectors, dim), new IndexMetadata(m.modelName(),
                m.modelHash(), dim, m.device(), m.builtAt(), records.size()));
        inMemory = s;
        inMemoryAt = System.nanoTime();
        return s;
    }

    private OpenSearchClient.Response read(OpenSearchIndex.Call call, String what) {
        OpenSearchClient.Response r;
        try {
            r = index.call(call);
        } catch (IndexStoreException e) {
            throw new IndexUnavailableException(e.getMessage(), e);
        }
        if (!r.ok()) {
            throw new IndexUnavailableException(index.failure(what, r).getMessage(), null);
        }
        return r;
    }

    private OpenSearchClient.Response readAllowing404(String path) {
        try {
            OpenSearchClient.Response r = index.call(() -> index.client().get(path));
            if (!r.ok() && r.status() != 404) {
                throw new IndexUnavailableException(index.failure("read " + path, r).getMessage(), null);
            }
            return r;
        } catch (IndexStoreException e) {
            throw new IndexUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "OpenSearchView[" + index.location() + ", " + metadata + "]";
    }
}
