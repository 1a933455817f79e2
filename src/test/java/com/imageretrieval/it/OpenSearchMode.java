package com.imageretrieval.it;

import java.util.Map;

/** The settings that put an app server in opensearch mode on the shared test cluster. */
final class OpenSearchMode {

    private OpenSearchMode() {
    }

    /**
     * @param name distinguishes the index of one suite from the others' on the shared cluster (a run-unique suffix
     *             keeps a rerun from finding the last run's documents)
     */
    static Map<String, String> environment(String name) throws Exception {
        OpenSearchCluster cluster = OpenSearchCluster.shared();
        return Map.of("INDEX_BACKEND", "opensearch",
                "OPENSEARCH_URL", String.join(",", cluster.httpUrls()),
                "OPENSEARCH_INDEX", "it-" + name + "-" + Long.toHexString(System.currentTimeMillis()),
                "OPENSEARCH_LEASE_SECONDS", "5");
    }
}
