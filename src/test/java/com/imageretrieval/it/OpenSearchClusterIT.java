package com.imageretrieval.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the OpenSearch test harness: two real nodes form a green cluster, the k-NN plugin (Lucene HNSW) answers
 * exact and filtered nearest-neighbour queries, a replica keeps answering after kill -9 of the other node, and stop
 * leaves no process or port behind. Uses its own cluster (not {@link OpenSearchCluster#shared()}) because it kills a
 * node and stops the cluster.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OpenSearchCluster.DumpLogsOnFailure.class)
class OpenSearchClusterIT {

    static final int DIM = 8;
    static final int DOCS = 300;
    static final String[] LABELS = {"daisy", "rose", "tulip"};
    static final String INDEX = "knn-it";

    static OpenSearchCluster cluster;
    static float[][] vectors = new float[DOCS][];

    @BeforeAll
    static void startCluster() throws Exception {
        long t0 = System.nanoTime();
        cluster = OpenSearchCluster.start("harness-it", 2);
        System.out.printf(Locale.ROOT, "OpenSearch cluster green with 2 nodes in %.1f s (node start %s, %s)%n",
                (System.nanoTime() - t0) / 1e9, cluster.startupTime(0), cluster.startupTime(1));
        Random r = new Random(42);
        for (int i = 0; i < DOCS; i++) {
            vectors[i] = unit(r);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void twoNodesFormOneGreenClusterWithKnn() throws Exception {
        JsonObject health = json(cluster.request("GET", "/_cluster/health").body());
        assertEquals("green", health.getString("status"));
        assertEquals(2, health.getInt("number_of_nodes"));
        for (int i = 0; i < 2; i++) {
            String plugins = cluster.request(i, "GET", "/_cat/plugins?h=component", null).body();
            assertTrue(plugins.contains("opensearch-knn"), "node " + i + " plugins: " + plugins);
        }
        assertEquals(2, cluster.httpUrls().size());
        assertTrue(cluster.httpUrls().get(0).startsWith("http://127.0.0.1:"), cluster.httpUrls().toString());
    }

    @Test
    @Order(2)
    void knnIndexWithReplicaAnswersExactNearestFirst() throws Exception {
        OpenSearchCluster.Response created = cluster.request("PUT", "/" + INDEX, """
                {"settings": {"index": {"knn": true, "number_of_shards": 1, "number_of_replicas": 1}},
                 "mappings": {"properties": {
                   "vec": {"type": "knn_vector", "dimension": %d,
                           "method": {"name": "hnsw", "engine": "lucene", "space_type": "innerproduct",
                                      "parameters": {"m": 16, "ef_construction": 100}}},
                   "label": {"type": "keyword"}}}}""".formatted(DIM));
        assertTrue(created.ok(), created.toString());
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < DOCS; i++) {
            bulk.append("{\"index\":{\"_index\":\"").append(INDEX).append("\",\"_id\":\"").append(i).append("\"}}\n")
                    .append("{\"vec\":").append(array(vectors[i])).append(",\"label\":\"")
                    .append(LABELS[i % LABELS.length]).append("\"}\n");
        }
        OpenSearchCluster.Response indexed = cluster.request("POST", "/_bulk?refresh=true", bulk.toString());
        assertTrue(indexed.ok() && indexed.body().contains("\"errors\":false"), abbreviate(indexed));
        cluster.waitForGreen(); // the replica is allocated and in sync

        float[] query = unit(new Random(7));
        List<String> hits = search(-1, query, 10, null);
        assertEquals(10, hits.size());
        assertEquals(exactNearest(query, null), hits.get(0), "k-NN top hit vs exact scan; hits " + hits);
        assertEquals(exactNearest(vectors[123], null), "123");
        assertEquals("123", search(-1, vectors[123], 5, null).get(0));
    }

    @Test
    @Order(3)
    void filteredKnnReturnsKResultsOfTheLabel() throws Exception {
        float[] query = unit(new Random(11));
        List<String> hits = search(-1, query, 10, "rose");
        assertEquals(10, hits.size(), "a filter inside the k-NN query still returns k hits: " + hits);
        for (String id : hits) {
            assertEquals("rose", LABELS[Integer.parseInt(id) % LABELS.length], "hit " + id + " in " + hits);
        }
        assertEquals(exactNearest(query, "rose"), hits.get(0));
    }

    @Test
    @Order(4)
    void killNineOfOneNodeLeavesTheReplicaAnswering() throws Exception {
        float[] query = unit(new Random(99));
        String expected = exactNearest(query, null);
        int manager = cluster.clusterManagerNode();
        // Kill the node that is not the cluster manager: with two nodes only one of them holds the vote, so the
        // survivor stays a working (yellow) cluster. Whatever shard copy the victim had, the other node has one too.
        int victim = 1 - manager;
        long pid = cluster.pid(victim);
        cluster.kill9(victim);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "JVM " + pid + " still alive");
        assertFalse(cluster.isRunning(victim));

        cluster.waitForYellow();
        JsonObject health = json(cluster.request(manager, "GET", "/_cluster/health", null).body());
        assertEquals("yellow", health.getString("status"), health.toString());
        assertEquals(1, health.getInt("number_of_nodes"));
        assertEquals(expected, search(manager, query, 10, null).get(0));
        assertEquals(10, search(manager, query, 10, "tulip").size());
        assertThrows(IOException.class, () -> cluster.request(victim, "GET", "/", null));

        // A restarted node rejoins and the replica is rebuilt: green again.
        cluster.restartNode(victim);
        assertEquals(expected, search(victim, query, 10, null).get(0));
        System.out.printf(Locale.ROOT, "node %d restarted in %s%n", victim, cluster.startupTime(victim));
    }

    @Test
    @Order(5)
    void stopLeavesNoProcessAndNoPort() throws Exception {
        List<Long> pids = List.of(cluster.pid(0), cluster.pid(1));
        List<String> urls = cluster.httpUrls();
        cluster.stop();
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " alive");
        }
        for (String url : urls) {
            URI u = URI.create(url);
            assertThrows(IOException.class, () -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
                }
            }, url + " still accepts connections");
        }
        assertFalse(cluster.isRunning());
    }

    /** k-NN search on a node (-1: any live node); ids of the hits in order. */
    static List<String> search(int node, float[] query, int k, String label) throws Exception {
        String filter = label == null ? "" : ", \"filter\": {\"term\": {\"label\": \"" + label + "\"}}";
        String body = "{\"size\": " + k + ", \"_source\": false, \"query\": {\"knn\": {\"vec\": {\"vector\": "
                + array(query) + ", \"k\": " + k + filter + "}}}}";
        OpenSearchCluster.Response r = node < 0 ? cluster.request("POST", "/" + INDEX + "/_search", body)
                : cluster.request(node, "POST", "/" + INDEX + "/_search", body);
        assertEquals(200, r.status(), abbreviate(r));
        JsonArray hits = json(r.body()).getJsonObject("hits").getJsonArray("hits");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
            ids.add(hits.getJsonObject(i).getString("_id"));
        }
        return ids;
    }

    /** The exact nearest document by inner product (the vectors are unit length), optionally within one label. */
    static String exactNearest(float[] q, String label) {
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < DOCS; i++) {
            if (label != null && !label.equals(LABELS[i % LABELS.length])) {
                continue;
            }
            double s = 0;
            for (int d = 0; d < DIM; d++) {
                s += q[d] * vectors[i][d];
            }
            if (s > bestScore) {
                bestScore = s;
                best = i;
            }
        }
        return Integer.toString(best);
    }

    static float[] unit(Random r) {
        float[] v = new float[DIM];
        double n = 0;
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) r.nextGaussian();
            n += v[d] * v[d];
        }
        for (int d = 0; d < DIM; d++) {
            v[d] /= (float) Math.sqrt(n);
        }
        return v;
    }

    static String array(float[] v) {
        List<String> parts = new ArrayList<>();
        for (float f : v) {
            parts.add(Float.toString(f));
        }
        return parts.stream().collect(Collectors.joining(",", "[", "]"));
    }

    static JsonObject json(String text) {
        return ApiContractIT.Json(text);
    }

    static String abbreviate(OpenSearchCluster.Response r) {
        String b = r.body();
        return r.status() + " " + (b.length() > 2000 ? b.substring(0, 2000) + "..." : b);
    }
}
