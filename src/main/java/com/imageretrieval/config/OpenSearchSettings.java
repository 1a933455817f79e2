package com.imageretrieval.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * How to reach and shape the OpenSearch index ({@code INDEX_BACKEND=opensearch}); see README "Settings".
 *
 * @param urls               base URLs of one or more nodes (OPENSEARCH_URL, comma-separated); requests go to the
 *                           next one when a node does not answer
 * @param index              alias the app searches (OPENSEARCH_INDEX); physical indexes are named after it
 * @param shards             primary shards of a new index (OPENSEARCH_SHARDS)
 * @param replicas           replicas of each shard (OPENSEARCH_REPLICAS)
 * @param username           basic-auth user (OPENSEARCH_USERNAME), or null
 * @param password           basic-auth password (OPENSEARCH_PASSWORD), or null
 * @param trustStore         trust store for https (OPENSEARCH_TRUSTSTORE, PKCS12 or JKS), or null for the JDK's
 * @param trustStorePassword its password (OPENSEARCH_TRUSTSTORE_PASSWORD), or null
 * @param hnswM              HNSW graph degree of a new index (OPENSEARCH_HNSW_M)
 * @param efConstruction     HNSW candidate list while indexing (OPENSEARCH_HNSW_EF_CONSTRUCTION)
 * @param efSearch           HNSW candidate list while searching, at least k (OPENSEARCH_EF_SEARCH)
 * @param leaseSeconds       how long a node's build lease lasts without renewal (OPENSEARCH_LEASE_SECONDS)
 * @param timeoutSeconds     connect and request timeout of one call (OPENSEARCH_TIMEOUT_SECONDS)
 */
public record OpenSearchSettings(List<URI> urls, String index, int shards, int replicas, String username,
                                 String password, Path trustStore, String trustStorePassword, int hnswM,
                                 int efConstruction, int efSearch, int leaseSeconds, int timeoutSeconds) {

    public OpenSearchSettings {
        urls = List.copyOf(urls);
    }

    /** For the start-up log: no secrets. */
    @Override
    public String toString() {
        return "urls=" + urls + ", index=" + index + ", shards=" + shards + ", replicas=" + replicas + ", user="
                + (username == null ? "(none)" : username) + ", truststore=" + (trustStore == null ? "(jdk)"
                : trustStore) + ", m=" + hnswM + ", ef_construction=" + efConstruction + ", ef_search=" + efSearch
                + ", lease=" + leaseSeconds + "s, timeout=" + timeoutSeconds + "s";
    }
}
