package com.imageretrieval.index.opensearch;

import com.imageretrieval.config.OpenSearchSettings;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexBackend;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.index.IndexWriter;
import com.imageretrieval.index.StoredImage;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code INDEX_BACKEND=opensearch}: the index is an OpenSearch k-NN index shared by every app node, and the system of
 * record for vectors and image metadata. One document per image, its id {@link ImageIds#of(String) derived from the
 * path}; the vector is a {@code knn_vector} (HNSW, engine lucene, cosine), so the label filter runs inside the k-NN
 * search.
 *
 * <p>The app searches an alias ({@code OPENSEARCH_INDEX}) that points at one physical index
 * ({@code <alias>-v-<model>-<millis>}) holding one model's vectors; the mapping's {@code _meta} records the model.
 * An incremental build writes into that index (searches see the changes at the next refresh; they never fail);
 * a build with another model fills a new physical index and moves the alias in one atomic request, so a search
 * never mixes two models. Only one node builds at a time: see {@link BuildLease}.
 */
public final class OpenSearchIndex implements IndexBackend {

    static final String VECTOR = "vector";
    /** Deep gallery pages are served by from/size up to this many images. */
    static final int MAX_RESULT_WINDOW = 1_000_000;
    private static final int SCAN_PAGE = 1000;

    private final OpenSearchSettings settings;
    private final OpenSearchClient client;
    private final String alias;

    private OpenSearchIndex(OpenSearchSettings settings, OpenSearchClient client) {
        this.settings = settings;
        this.client = client;
        this.alias = settings.index();
    }

    /**
     * Prepares the client; does not call the cluster (it may come up after the app: {@link #load()} says what is
     * wrong until it answers).
     *
     * @throws IndexStoreException if the trust store cannot be read
     */
    public static OpenSearchIndex open(OpenSearchSettings settings) throws IndexStoreException {
        try {
            return new OpenSearchIndex(settings, new OpenSearchClient(settings));
        } catch (IOException e) {
            throw new IndexStoreException(e.getMessage(), e);
        }
    }

    OpenSearchClient client() {
        return client;
    }

    OpenSearchSettings settings() {
        return settings;
    }

    String alias() {
        return alias;
    }

    @Override
    public String location() {
        return "OpenSearch index " + alias + " on " + client.nodes();
    }

    /** The physical index behind the alias and its {@code _meta}, or empty if the alias does not exist. */
    Optional<Map.Entry<String, JsonObject>> current() throws IndexStoreException {
        OpenSearchClient.Response r = call(() -> client.get("/" + alias + "/_mapping"));
        if (r.status() == 404) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw failure("read the mapping of " + alias, r);
        }
        for (Map.Entry<String, JsonValue> e : r.object().entrySet()) {
            JsonObject mappings = e.getValue().asJsonObject().getJsonObject("mappings");
            JsonObject meta = mappings == null ? null : mappings.getJsonObject("_meta");
            return Optional.of(Map.entry(e.getKey(), meta == null ? JsonValue.EMPTY_JSON_OBJECT : meta));
        }
        return Optional.empty();
    }

    static IndexMetadata metadata(JsonObject meta) {
        return new IndexMetadata(meta.getString("model_name", null), meta.getString("model_hash", null),
                meta.getInt("dimension", 0), meta.getString("device", null),
                meta.containsKey("built_at") ? Instant.parse(meta.getString("built_at")) : null,
                meta.getInt("count", 0));
    }

    /** The committed index (alias present, built by a finished build), or empty. */
    @Override
    public Optional<OpenSearchView> load() throws IndexStoreException {
        Optional<Map.Entry<String, JsonObject>> c = current();
        if (c.isEmpty() || !c.get().getValue().containsKey("built_at")) {
            return Optional.empty();
        }
        return Optional.of(new OpenSearchView(this, metadata(c.get().getValue())));
    }

    /** Scans every document of the alias in path order (search_after on the unique path), without vectors. */
    @Override
    public Map<String, StoredImage> storedImages() throws IndexStoreException {
        Map<String, StoredImage> out = new HashMap<>();
        if (current().isEmpty()) {
            return out;
        }
        scan(false, src -> out.put(src.getString("path"), new StoredImage(record(src),
                src.getString("model_hash", ""))));
        return out;
    }

    /** Calls {@code each} with the _source of every document, ordered by path. */
    void scan(boolean withVectors, Consumer<JsonObject> each) throws IndexStoreException {
        JsonValue after = null;
        while (true) {
            JsonObjectBuilder body = Json.createObjectBuilder().add("size", SCAN_PAGE)
                    .add("sort", Json.createArrayBuilder().add(Json.createObjectBuilder().add("path", "asc")))
                    .add("query", Json.createObjectBuilder().add("match_all", JsonValue.EMPTY_JSON_OBJECT));
            if (!withVectors) {
                body.add("_source", Json.createObjectBuilder().add("excludes", Json.createArrayBuilder().add(VECTOR)));
            }
            if (after != null) {
                body.add("search_after", after);
            }
            JsonObject q = body.build();
            OpenSearchClient.Response r = call(() -> client.post("/" + alias + "/_search", q));
            if (!r.ok()) {
                throw failure("scan " + alias, r);
            }
            var hits = r.object().getJsonObject("hits").getJsonArray("hits");
            for (JsonValue h : hits) {
                each.accept(h.asJsonObject().getJsonObject("_source"));
            }
            if (hits.size() < SCAN_PAGE) {
                return;
            }
            after = hits.get(hits.size() - 1).asJsonObject().get("sort");
        }
    }

    static ImageRecord record(JsonObject src) {
        return new ImageRecord(src.getJsonNumber("id").longValue(), src.getString("path"), src.getString("label"),
                src.getJsonNumber("size").longValue(), src.getJsonNumber("mtime").longValue(),
                src.getString("sha256", ""), src.getInt("width", 0), src.getInt("height", 0));
    }

    @Override
    public IndexWriter beginWrite(String modelHash, int dimension) throws IndexStoreException {
        BuildLease lease = BuildLease.acquire(client, alias + "-lease", Math.min(settings.replicas(), 1),
                settings.leaseSeconds() * 1000L);
        try {
            Optional<Map.Entry<String, JsonObject>> c = current();
            boolean sameModel = c.isPresent() && modelHash.equals(c.get().getValue().getString("model_hash", null))
                    && c.get().getValue().getInt("dimension", -1) == dimension;
            deleteAbandoned(c.map(Map.Entry::getKey).orElse(null));
            if (sameModel) {
                return new OpenSearchWriter(this, lease, c.get().getKey(), false, null);
            }
            String tag = modelHash.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
            String physical = alias + "-v-" + tag.substring(0, Math.min(16, tag.length())) + "-"
                    + System.currentTimeMillis();
            createPhysical(physical, modelHash, dimension);
            return new OpenSearchWriter(this, lease, physical, true, c.map(Map.Entry::getKey).orElse(null));
        } catch (IndexStoreException | RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /** Physical indexes of this alias that no alias points at: left by a build that died (we hold the lease). */
    private void deleteAbandoned(String live) throws IndexStoreException {
        OpenSearchClient.Response r = call(() -> client.get("/_cat/indices/" + alias + "-v-*?format=json&h=index"));
        if (!r.ok() || !(r.body() instanceof jakarta.json.JsonArray rows)) {
            return;
        }
        for (JsonValue row : rows) {
            String name = row.asJsonObject().getString("index");
            if (!name.equals(live)) {
                call(() -> client.delete("/" + name));
            }
        }
    }

    private void createPhysical(String name, String modelHash, int dimension) throws IndexStoreException {
        JsonObject body = Json.createObjectBuilder()
                .add("settings", Json.createObjectBuilder().add("index", Json.createObjectBuilder()
                        .add("knn", true)
                        .add("number_of_shards", settings.shards())
                        // filled unseen behind the alias: no refreshes (each makes a segment) and no replicas
                        // (each would index every vector again) until the build commits, see OpenSearchWriter
                        .add("number_of_replicas", 0)
                        .add("refresh_interval", "-1")
                        .add("max_result_window", MAX_RESULT_WINDOW)))
                .add("mappings", Json.createObjectBuilder()
                        .add("dynamic", "strict")
                        .add("_meta", Json.createObjectBuilder().add("model_hash", modelHash)
                                .add("dimension", dimension))
                        .add("properties", Json.createObjectBuilder()
                                .add("id", type("long"))
                                .add("path", type("keyword"))
                                .add("label", type("keyword"))
                                .add("size", type("long"))
                                .add("mtime", type("long"))
                                .add("sha256", type("keyword"))
                                .add("width", type("integer"))
                                .add("height", type("integer"))
                                .add("model_hash", type("keyword"))
                                .add(VECTOR, Json.createObjectBuilder()
                                        .add("type", "knn_vector")
                                        .add("dimension", dimension)
                                        .add("method", Json.createObjectBuilder()
                                                .add("name", "hnsw")
                                                .add("engine", "lucene")
                                                .add("space_type", "cosinesimil")
                                                .add("parameters", Json.createObjectBuilder()
                                                        .add("m", settings.hnswM())
                                                        .add("ef_construction", settings.efConstruction()))))))
                .build();
        OpenSearchClient.Response r = call(() -> client.put("/" + name, body));
        if (!r.ok()) {
            throw failure("create the index " + name + " (is the k-NN plugin installed?)", r);
        }
    }

    private static JsonObjectBuilder type(String type) {
        return Json.createObjectBuilder().add("type", type);
    }

    /**
     * A vector as JSON numbers, each the float's shortest decimal (about 10 characters, where the double it widens to
     * prints 20): it reads back to the same float. The one encoding for vectors sent to OpenSearch, stored or queried
     * (public so that the OpenSearch bench sends the very body the product sends).
     */
    public static JsonArrayBuilder vectorJson(float[] vector) {
        JsonArrayBuilder v = Json.createArrayBuilder();
        for (float x : vector) {
            v.add(new BigDecimal(Float.toString(x)));
        }
        return v;
    }

    /** The document of one image, vector included. */
    static String document(ImageRecord r, long id, float[] vector, String modelHash) {
        JsonArrayBuilder v = vectorJson(vector);
        return Json.createObjectBuilder().add("id", id).add("path", r.path()).add("label", r.label())
                .add("size", r.size()).add("mtime", r.mtime()).add("sha256", r.sha256() == null ? "" : r.sha256())
                .add("width", r.width()).add("height", r.height()).add("model_hash", modelHash)
                .add(VECTOR, v).build().toString();
    }

    /**
     * Gives a filled new index the settings a live one has: the configured replicas and the default refresh
     * interval, then waits (bounded by the request timeout) for the replicas to be copied, so the alias moves to an
     * index with its redundancy. On a cluster with too few nodes for the replicas the wait ends at the timeout and
     * the build goes on (the index is yellow, as the old one was).
     */
    void liveSettings(String physical) throws IndexStoreException {
        JsonObject body = Json.createObjectBuilder().add("index", Json.createObjectBuilder()
                .add("number_of_replicas", settings.replicas()).add("refresh_interval", JsonValue.NULL)).build();
        OpenSearchClient.Response r = call(() -> client.put("/" + physical + "/_settings", body));
        if (!r.ok()) {
            throw failure("restore the replicas and refresh interval of " + physical, r);
        }
        int wait = Math.max(1, settings.timeoutSeconds() - 1);
        call(() -> client.get("/_cluster/health/" + physical + "?wait_for_status=green&timeout=" + wait + "s"));
    }

    /**
     * Merges the index into one segment per shard: a k-NN search walks one HNSW graph per segment, so a build that
     * left dozens of segments makes every search several times slower. I/O heavy (every vector and graph is
     * rewritten), so only run after big builds; waits at most {@code maxWait}, after which the merge goes on inside
     * OpenSearch while the build finishes (searches answer meanwhile, on the segments as they are).
     */
    void forceMerge(String physical, java.time.Duration maxWait) throws IndexStoreException {
        OpenSearchClient.Response r = call(() -> client.post("/" + physical
                + "/_forcemerge?max_num_segments=1&wait_for_completion=false", null));
        if (!r.ok()) {
            throw failure("merge the segments of " + physical, r);
        }
        String task = r.object().getString("task", null);
        long deadline = System.nanoTime() + maxWait.toNanos();
        int poll = Math.max(1, settings.timeoutSeconds() - 1);
        while (task != null && System.nanoTime() < deadline) {
            OpenSearchClient.Response t = call(() -> client.get("/_tasks/" + task + "?wait_for_completion=true"
                    + "&timeout=" + poll + "s"));
            if (t.ok() && t.object().getBoolean("completed", false) || t.status() == 404) {
                return;  // done (404: the task is finished and its result was not kept)
            }
        }
        if (task != null) {
            java.util.logging.Logger.getLogger(OpenSearchIndex.class.getName()).warning("merging " + physical
                    + " into one segment takes longer than " + maxWait + "; it goes on inside OpenSearch");
        }
    }

    /** Records what the committed index was built with in its mapping's {@code _meta}. */
    void writeMetadata(String physical, IndexMetadata m) throws IndexStoreException {
        JsonObject body = Json.createObjectBuilder().add("_meta", Json.createObjectBuilder()
                .add("model_name", m.modelName()).add("model_hash", m.modelHash()).add("dimension", m.dimension())
                .add("device", m.device() == null ? "" : m.device()).add("built_at", m.builtAt().toString())
                .add("count", m.count())).build();
        OpenSearchClient.Response r = call(() -> client.put("/" + physical + "/_mapping", body));
        if (!r.ok()) {
            throw failure("record the metadata of " + physical, r);
        }
    }

    /** A request that may fail on the network. */
    @FunctionalInterface
    interface Call {
        OpenSearchClient.Response send() throws IOException;
    }

    OpenSearchClient.Response call(Call c) throws IndexStoreException {
        try {
            return c.send();
        } catch (IOException e) {
            throw new IndexStoreException(e.getMessage(), e);
        }
    }

    IndexStoreException failure(String what, OpenSearchClient.Response r) {
        String hint = r.status() == 401 || r.status() == 403
                ? ": check OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD" : "";
        return new IndexStoreException("OpenSearch (" + client.nodes() + ") cannot " + what + ": " + r.error()
                + hint);
    }

    @Override
    public Optional<String> buildingElsewhere() throws IndexStoreException {
        return BuildLease.heldElsewhere(client, alias + "-lease");
    }

    /** Every app node of the cluster writes and reads the same index. */
    @Override
    public boolean shared() {
        return true;
    }

    /** The client holds no connection that needs closing (the JDK's pool ends with the process). */
    @Override
    public void close() {
        // nothing to release
    }
}
