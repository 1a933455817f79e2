package com.imageretrieval.index.opensearch;

import com.imageretrieval.common.DaemonThreads;
import com.imageretrieval.index.IndexBusyException;
import com.imageretrieval.index.IndexStoreException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Who may build: one document ({@code build}) in a small lease index, {holder, expires}, written only with optimistic
 * concurrency ({@code op_type=create} for a new one, {@code if_seq_no}/{@code if_primary_term} to renew or take over),
 * so of two nodes racing for it exactly one wins. The holder renews it every third of its lifetime while it
 * builds; a node that dies stops renewing and another takes the lease over once it has expired. Every node runs
 * the scheduled build; the lease decides which one works.
 *
 * <p>Expiry is compared with the taker's clock: nodes whose clocks differ by more than a fraction of
 * OPENSEARCH_LEASE_SECONDS could take over early; keep them in NTP sync.
 */
final class BuildLease implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BuildLease.class.getName());
    private static final String DOC = "/_doc/build";

    /** This process, as written in the lease: host, pid and a random part (two apps in one JVM differ). */
    static final String SELF = self();

    private final OpenSearchClient client;
    private final String index;
    private final long ttlMillis;
    private final ScheduledExecutorService renewer;
    private volatile long seqNo;
    private volatile long primaryTerm;
    private volatile String lost;

    private BuildLease(OpenSearchClient client, String index, long ttlMillis, long seqNo, long primaryTerm) {
        this.client = client;
        this.index = index;
        this.ttlMillis = ttlMillis;
        this.seqNo = seqNo;
        this.primaryTerm = primaryTerm;
        this.renewer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("opensearch-lease"));
        long every = Math.max(1000, ttlMillis / 3);
        renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private static String self() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Takes the lease, or throws.
     *
     * @throws IndexBusyException  if another node holds an unexpired lease (or won the race for it)
     * @throws IndexStoreException if the cluster does not answer
     */
    static BuildLease acquire(OpenSearchClient client, String index, int replicas, long ttlMillis)
            throws IndexStoreException {
        try {
            ensureIndex(client, index, replicas);
            OpenSearchClient.Response current = client.get("/" + index + DOC);
            long now = System.currentTimeMillis();
            JsonObject doc = Json.createObjectBuilder().add("holder", SELF).add("expires", now + ttlMillis)
                    .add("taken", Instant.ofEpochMilli(now).toString()).build();
            OpenSearchClient.Response taken;
            if (current.status() == 404) {
                taken = client.put("/" + index + DOC + "?op_type=create&refresh=true", doc);
            } else if (current.ok()) {
                JsonObject src = current.object().getJsonObject("_source");
                String holder = src.getString("holder", "?");
                long expires = src.getJsonNumber("expires").longValue();
                if (!holder.equals(SELF) && expires > now) {
                    throw busy(holder, expires);
                }
                if (!holder.equals(SELF)) {
                    LOG.warning("taking over the build lease of " + holder + ", expired at "
                            + Instant.ofEpochMilli(expires));
                }
                taken = client.put("/" + index + DOC + "?refresh=true&if_seq_no="
                        + current.object().getJsonNumber("_seq_no").longValue() + "&if_primary_term="
                        + current.object().getJsonNumber("_primary_term").longValue(), doc);
            } else {
                throw new IndexStoreException("cannot read the build lease in " + index + ": " + current.error());
            }
            if (taken.status() == 409) {
                OpenSearchClient.Response winner = client.get("/" + index + DOC);
                JsonObject src = winner.ok() ? winner.object().getJsonObject("_source") : null;
                throw busy(src == null ? "another node" : src.getString("holder", "another node"),
                        src == null ? now + ttlMillis : src.getJsonNumber("expires").longValue());
            }
            if (!taken.ok()) {
                throw new IndexStoreException("cannot write the build lease in " + index + ": " + taken.error());
            }
            LOG.info("build lease taken by " + SELF);
            return new BuildLease(client, index, ttlMillis, taken.object().getJsonNumber("_seq_no").longValue(),
                    taken.object().getJsonNumber("_primary_term").longValue());
        } catch (IOException e) {
            throw new IndexStoreException(e.getMessage(), e);
        }
    }

    /** The busy message if another process holds an unexpired lease, else empty. */
    static java.util.Optional<String> heldElsewhere(OpenSearchClient client, String index)
            throws IndexStoreException {
        try {
            OpenSearchClient.Response r = client.get("/" + index + DOC);
            if (!r.ok()) {
                return java.util.Optional.empty();
            }
            JsonObject src = r.object().getJsonObject("_source");
            String holder = src.getString("holder", "?");
            long expires = src.getJsonNumber("expires").longValue();
            return !holder.equals(SELF) && expires > System.currentTimeMillis()
                    ? java.util.Optional.of(busy(holder, expires).getMessage()) : java.util.Optional.empty();
        } catch (IOException e) {
            throw new IndexStoreException(e.getMessage(), e);
        }
    }

    private static IndexBusyException busy(String holder, long expires) {
        return new IndexBusyException("another node (" + holder + ") is building the index; its lease runs until "
                + Instant.ofEpochMilli(expires));
    }

    private static void ensureIndex(OpenSearchClient client, String index, int replicas) throws IOException,
            IndexStoreException {
        if (client.get("/" + index).ok()) {
            return;
        }
        JsonObject body = Json.createObjectBuilder().add("settings", Json.createObjectBuilder()
                .add("number_of_shards", 1).add("number_of_replicas", replicas)).build();
        OpenSearchClient.Response r = client.put("/" + index, body);
        if (!r.ok() && !r.error().startsWith("resource_already_exists_exception")) {
            throw new IndexStoreException("cannot create the lease index " + index + ": " + r.error());
        }
    }

    private void renew() {
        if (lost != null) {
            return;
        }
        try {
            JsonObject doc = Json.createObjectBuilder().add("holder", SELF)
                    .add("expires", System.currentTimeMillis() + ttlMillis).build();
            OpenSearchClient.Response r = client.put("/" + index + DOC + "?if_seq_no=" + seqNo + "&if_primary_term="
                    + primaryTerm, doc);
            if (r.ok()) {
                seqNo = r.object().getJsonNumber("_seq_no").longValue();
                primaryTerm = r.object().getJsonNumber("_primary_term").longValue();
            } else if (r.status() == 409 || r.status() == 404) {
                lost = "the build lease was taken over by another node (this node did not renew it in time)";
                LOG.warning(lost);
            } else {
                LOG.warning("renewing the build lease failed: " + r.error());
            }
        } catch (IOException e) {
            // the next attempt may get through; if none does before expiry, another node takes over
            LOG.log(Level.WARNING, "renewing the build lease failed: " + e.getMessage(), e);
        }
    }

    /** @throws IndexStoreException if the lease was lost: this node must stop writing */
    void check() throws IndexStoreException {
        if (lost != null) {
            throw new IndexStoreException(lost);
        }
    }

    /** Stops renewing and gives the lease back (if still ours), so another node need not wait for the expiry. */
    @Override
    public void close() {
        renewer.shutdownNow();
        if (lost != null) {
            return;
        }
        try {
            client.delete("/" + index + DOC + "?refresh=true&if_seq_no=" + seqNo + "&if_primary_term=" + primaryTerm);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "releasing the build lease failed; it expires on its own", e);
        }
    }
}
