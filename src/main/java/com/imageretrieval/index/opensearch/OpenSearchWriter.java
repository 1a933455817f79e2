package com.imageretrieval.index.opensearch;

import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexStoreException;
import com.imageretrieval.index.IndexWriter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The writes of one build, sent as bulk requests of a bounded size. Into the live index when the model is the
 * committed one (an incremental build: searches see the changes as they are refreshed), else into a new physical
 * index that {@link #commit} puts behind the alias in one atomic alias request.
 *
 * <p>Holds the {@link BuildLease} from start to close; every bulk request first checks it was not lost.
 */
final class OpenSearchWriter implements IndexWriter {

    private static final Logger LOG = Logger.getLogger(OpenSearchWriter.class.getName());
    /** Actions per bulk request: ~8 KB of vector each, so a request stays around 2 MB. */
    private static final int BULK_ACTIONS = 256;
    /**
     * A build that inserted, replaced or deleted at least this share of the index (1 / N) is followed by a merge into
     * one segment; smaller incremental builds leave merging to Lucene's own policy (a forced merge rewrites every
     * vector and HNSW graph, too much I/O for a few changed images).
     */
    private static final int MERGE_SHARE_DIVISOR = 5;
    /** How long a build waits for that merge before it finishes anyway. */
    static final Duration MERGE_WAIT = Duration.ofMinutes(15);

    private final OpenSearchIndex index;
    private final BuildLease lease;
    private final String target;
    /** The physical index the alias points at now if {@code target} is a new one, else null. */
    private final String replaced;
    private final boolean fresh;
    private final StringBuilder bulk = new StringBuilder();
    private int actions;
    /** Documents inserted, replaced or deleted by this build (touches only change metadata). */
    private long changed;
    private boolean committed;

    /**
     * @param target   the physical index written
     * @param fresh    true if {@code target} is a new index that the alias does not point at yet
     * @param replaced when fresh: the index the alias points at now (null if none)
     */
    OpenSearchWriter(OpenSearchIndex index, BuildLease lease, String target, boolean fresh, String replaced) {
        this.index = index;
        this.lease = lease;
        this.target = target;
        this.fresh = fresh;
        this.replaced = replaced;
    }

    private void action(JsonObject meta, String source) throws IndexStoreException {
        bulk.append(meta).append('\n');
        if (source != null) {
            bulk.append(source).append('\n');
        }
        if (++actions >= BULK_ACTIONS) {
            send();
        }
    }

    private static JsonObject op(String op, long id) {
        return Json.createObjectBuilder().add(op, Json.createObjectBuilder().add("_id", Long.toString(id))).build();
    }

    @Override
    public void insert(ImageRecord r, float[] vector, String modelHash) throws IndexStoreException {
        long id = ImageIds.of(r.path());
        changed++;
        action(op("index", id), OpenSearchIndex.document(r, id, vector, modelHash));
    }

    @Override
    public void update(long id, ImageRecord r, float[] vector, String modelHash) throws IndexStoreException {
        // the id is the path's: the same document is replaced
        insert(r, vector, modelHash);
    }

    @Override
    public void touch(long id, long size, long mtime) throws IndexStoreException {
        action(op("update", id), Json.createObjectBuilder().add("doc", Json.createObjectBuilder()
                .add("size", size).add("mtime", mtime)).build().toString());
    }

    @Override
    public void delete(long id) throws IndexStoreException {
        changed++;
        action(op("delete", id), null);
    }

    /** Sends a full bulk request; smaller remainders wait for more actions or the commit. */
    @Override
    public void flush() throws IndexStoreException {
        lease.check();
    }

    private void send() throws IndexStoreException {
        lease.check();
        if (actions == 0) {
            return;
        }
        String body = bulk.toString();
        bulk.setLength(0);
        actions = 0;
        OpenSearchClient.Response r = index.call(() -> index.client().bulk("/" + target + "/_bulk", body));
        if (!r.ok()) {
            throw index.failure("write to " + target, r);
        }
        if (r.object().getBoolean("errors", false)) {
            for (JsonValue item : r.object().getJsonArray("items")) {
                JsonObject result = item.asJsonObject().values().iterator().next().asJsonObject();
                int status = result.getInt("status", 200);
                boolean deleteOfMissing = item.asJsonObject().containsKey("delete") && status == 404;
                if (status >= 300 && !deleteOfMissing) {
                    throw new IndexStoreException("OpenSearch refused a write to " + target + " (document "
                            + result.getString("_id", "?") + "): " + result.get("error"));
                }
            }
        }
    }

    /**
     * Sends the rest, refreshes, merges after a big build, records the metadata and, for a new index, restores its
     * live settings and moves the alias to it atomically.
     */
    @Override
    public void commit(IndexMetadata metadata) throws IndexStoreException {
        send();
        refresh();
        boolean merge = fresh || changed * MERGE_SHARE_DIVISOR >= Math.max(1, metadata.count());
        if (merge) {
            lease.check();
            index.forceMerge(target, MERGE_WAIT);
        }
        if (fresh) {
            lease.check();
            index.liveSettings(target);
        }
        if (merge) {
            refresh();  // searches open the merged segment now, not at the next refresh
        }
        index.writeMetadata(target, metadata);
        if (fresh) {
            var actionsJson = Json.createArrayBuilder();
            if (replaced != null) {
                actionsJson.add(Json.createObjectBuilder().add("remove", Json.createObjectBuilder()
                        .add("index", replaced).add("alias", index.alias())));
            }
            actionsJson.add(Json.createObjectBuilder().add("add", Json.createObjectBuilder()
                    .add("index", target).add("alias", index.alias())));
            JsonObject body = Json.createObjectBuilder().add("actions", actionsJson).build();
            lease.check();
            OpenSearchClient.Response r = index.call(() -> index.client().post("/_aliases", body));
            if (!r.ok()) {
                throw index.failure("point the alias " + index.alias() + " at " + target, r);
            }
            committed = true;
            if (replaced != null) {
                try {
                    index.call(() -> index.client().delete("/" + replaced));
                } catch (IndexStoreException e) {
                    LOG.log(Level.WARNING, "the replaced index " + replaced + " could not be deleted; the next build"
                            + " removes it", e);
                }
            }
        }
        committed = true;
    }

    private void refresh() throws IndexStoreException {
        OpenSearchClient.Response refreshed = index.call(() -> index.client().post("/" + target + "/_refresh",
                null));
        if (!refreshed.ok()) {
            throw index.failure("refresh " + target, refreshed);
        }
    }

    /** Gives the lease back; an uncommitted new index is deleted (searches never saw it). */
    @Override
    public void close() {
        try {
            if (!committed && fresh) {
                try {
                    index.call(() -> index.client().delete("/" + target));
                } catch (IndexStoreException e) {
                    LOG.log(Level.WARNING, "the abandoned index " + target + " could not be deleted; the next build"
                            + " removes it", e);
                }
            }
        } finally {
            lease.close();
        }
    }
}
