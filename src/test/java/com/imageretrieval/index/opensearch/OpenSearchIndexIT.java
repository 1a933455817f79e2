package com.imageretrieval.index.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.BuildInProgressException;
import com.imageretrieval.engine.EngineStatus;
import com.imageretrieval.engine.ImageNotFoundException;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.engine.RetrievalEngine;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.testing.FakeEmbedder;
import com.imageretrieval.index.GalleryPage;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.SearchFilter;
import com.imageretrieval.index.SearchHit;
import com.imageretrieval.index.SimilarImages;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import com.imageretrieval.testing.TestDatasets;
import com.imageretrieval.testing.TestImages;
import com.imageretrieval.it.OpenSearchCluster;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The opensearch backend against a real two-node cluster, through the engine, compared with the h2 backend on the
 * same dataset and model: the same answers (the collection is small, so HNSW finds the exact neighbours), the label
 * filter inside the k-NN search, incremental builds, a model change behind the alias, the build lease, and a killed
 * node. Each test uses an index name of its own on the one shared cluster.
 */
@ExtendWith(OpenSearchCluster.DumpLogsOnFailure.class)
class OpenSearchIndexIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger INDEXES = new AtomicInteger();
    private static OpenSearchCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void cluster() throws Exception {
        cluster = OpenSearchCluster.shared();
    }

    private AppConfig config(String backend, String index, int leaseSeconds) {
        Map<String, String> m = new HashMap<>();
        m.put("ARTIFACTS_DIR", tmp.resolve("artifacts-" + backend).toString());
        m.put("DATASET_DIR", tmp.resolve("dataset").toString());
        m.put("MODEL_PATH", tmp.resolve("models/none.onnx").toString());
        m.put("INDEX_BACKEND", backend);
        m.put("OPENSEARCH_URL", String.join(",", cluster.httpUrls()));
        m.put("OPENSEARCH_INDEX", index);
        m.put("OPENSEARCH_LEASE_SECONDS", Integer.toString(leaseSeconds));
        return AppConfig.of(m);
    }

    private static String newIndexName() {
        return "it-os-" + INDEXES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }

    private static RetrievalEngine open(AppConfig config, String modelHash) throws Exception {
        RetrievalEngine e = RetrievalEngine.open(config, c -> new FakeEmbedder(modelHash));
        assertTrue(e.awaitIdle(WAIT));
        return e;
    }

    private static float[] query(Color c, long seed) {
        return FakeEmbedder.vectorOf(new FakeEmbedder("q").preprocess(TestImages.noisyColour(c, seed, 64, 48)));
    }

    private static List<String> paths(List<SearchHit> hits) {
        return hits.stream().map(h -> h.image().path()).toList();
    }

    @Test
    void answersAsTheExactScanDoesAndFiltersInsideTheSearch() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 6);
        String name = newIndexName();
        try (RetrievalEngine h2 = open(config("h2", name, 60), "m1");
             RetrievalEngine os = open(config("opensearch", name, 60), "m1")) {
            EngineStatus s = os.status();
            assertEquals("ok", s.state(), s.message());
            assertEquals(18, s.images());
            assertEquals(h2.stats().classCounts(), os.stats().classCounts());
            assertEquals(Map.of("red", 6, "green", 6, "blue", 6), os.stats().classCounts());
            assertEquals(FakeEmbedder.DIMENSION, os.stats().dimension());
            assertEquals("m1", os.stats().metadata().modelHash());

            // the first build filled a new index without refreshes or replicas, merged it, then made it live
            assertOneSegmentPerPrimary(name);
            JsonObject live = settings(name);
            assertEquals("1", live.getString("index.number_of_replicas"), live.toString());
            assertFalse(live.containsKey("index.refresh_interval"), "back to the default: " + live);

            float[] q = query(new Color(190, 40, 40), 7);
            List<SearchHit> exact = h2.search(q, 5);
            List<SearchHit> knn = os.search(q, 5);
            assertEquals(paths(exact), paths(knn));
            for (int i = 0; i < exact.size(); i++) {
                assertEquals(exact.get(i).similarity(), knn.get(i).similarity(), 1e-5, "cosine from the score");
                assertEquals(i + 1, knn.get(i).rank());
            }

            // the label filter runs inside the k-NN search: 5 blue images although all red ones are nearer
            List<SearchHit> blue = os.search(q, 5, SearchFilter.label("blue"));
            assertEquals(5, blue.size());
            assertTrue(blue.stream().allMatch(h -> h.image().label().equals("blue")));
            assertEquals(paths(h2.search(q, 5, SearchFilter.label("blue"))), paths(blue));
            assertEquals(List.of(), os.search(q, 5, SearchFilter.label("no-such-label")));

            float cut = exact.get(2).similarity();
            List<SearchHit> above = os.search(q, 10, SearchFilter.minSimilarity(cut));
            assertTrue(above.size() >= 3 && above.stream().allMatch(h -> h.similarity() >= cut), above.toString());
            assertEquals(paths(h2.search(q, 10, SearchFilter.minSimilarity(cut))), paths(above));

            // ids are the path's, and "more like this" leaves the image out
            ImageRecord first = os.gallery("green", 0, 1).images().get(0);
            assertEquals(ImageIds.of(first.path()), first.id());
            assertEquals(first, os.image(first.id()));
            long gets = stat(name, "get", "total");
            long queries = stat(name, "search", "query_total");
            SimilarImages answer = os.similar(first.id(), 4, SearchFilter.NONE);
            // two requests: one GET of the document (record and vector), one k-NN search
            assertEquals(1, stat(name, "get", "total") - gets, "one GET for the record and its vector");
            long searchQueries = stat(name, "search", "query_total") - queries;
            long before = stat(name, "search", "query_total");
            os.search(query(Color.GREEN, 3), 4);
            assertEquals(stat(name, "search", "query_total") - before, searchQueries, "one search");
            assertEquals(first, answer.image());
            List<SearchHit> similar = answer.hits();
            assertEquals(4, similar.size());
            assertFalse(paths(similar).contains(first.path()));
            long h2Id = h2.gallery("green", 0, 1).images().get(0).id();
            assertEquals(paths(h2.similar(h2Id, 4, SearchFilter.NONE).hits()), paths(similar));
            assertThrows(ImageNotFoundException.class, () -> os.image(12345));

            GalleryPage page = os.gallery(null, 4, 5);
            assertEquals(18, page.total());
            assertEquals(h2.gallery(null, 4, 5).images().stream().map(ImageRecord::path).toList(),
                    page.images().stream().map(ImageRecord::path).toList());
            assertEquals(6, os.gallery("red", 0, 100).total());

            // the analyses read every vector: the same figures and pairs as h2
            assertEquals(h2.evaluation().overall(), os.evaluation().overall());
            assertEquals(h2.duplicates(0.999).pairs(), os.duplicates(0.999).pairs());
        }
    }

    @Test
    void aNewIndexIsFilledWithoutRefreshesOrReplicasThenMergedIntoOneSegment() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 2);
        String name = newIndexName();
        AppConfig config = config("opensearch", name, 60);
        try (RetrievalEngine old = open(config, "m1")) {
            String live = physical(name);
            float[] q = query(new Color(190, 40, 40), 7);
            List<String> answer = paths(old.search(q, 3));
            OpenSearchIndex backend = OpenSearchIndex.open(config.openSearch());
            try (var writer = backend.beginWrite("m9", FakeEmbedder.DIMENSION)) {
                String filling = newPhysical(name, live);
                JsonObject during = settings(filling);
                assertEquals("-1", during.getString("index.refresh_interval"), during.toString());
                assertEquals("0", during.getString("index.number_of_replicas"), during.toString());
                // these few small segments would be merged at the commit's flush anyway (merge on flush); a 100k
                // build's are too large for that, so switch it off to see the forced merge alone
                assertTrue(cluster.request("PUT", "/" + filling + "/_settings",
                        "{\"index.merge_on_flush.enabled\":false}").ok());
                float[] v = new float[FakeEmbedder.DIMENSION];
                for (int i = 0; i < 600; i++) {  // bulk requests go out at 256 and 512, the rest at the commit
                    v[i % v.length] += 1;
                    writer.insert(new ImageRecord(0, "x/" + i + ".png", "x", 1, 1, "", 1, 1), v.clone(), "m9");
                    if (i == 300 || i == 550) {
                        // a refresh mid-fill (as a 1 s interval would do) leaves a segment of its own
                        assertTrue(cluster.request("POST", "/" + filling + "/_refresh").ok());
                    }
                }
                assertTrue(segmentsOfPrimaries(filling).values().stream().anyMatch(n -> n >= 2),
                        "several segments before the merge");
                // searches go on against the old index while the new one fills
                assertEquals(answer, paths(old.search(q, 3)));
                writer.commit(new IndexMetadata("m9", "m9", FakeEmbedder.DIMENSION, "cpu", Instant.now(), 600));
                assertEquals(filling, physical(name), "the alias moved");
                assertOneSegmentPerPrimary(name);
                JsonObject after = settings(name);
                assertEquals("1", after.getString("index.number_of_replicas"), after.toString());
                assertFalse(after.containsKey("index.refresh_interval"), after.toString());
                OpenSearchCluster.Response count = cluster.request("GET", "/" + name + "/_count");
                assertTrue(count.body().contains("\"count\":600"), count.body());
            }
        }
    }

    /** The physical index of this alias that the alias does not point at (one being filled). */
    private static String newPhysical(String alias, String live) throws Exception {
        OpenSearchCluster.Response r = cluster.request("GET", "/_cat/indices/" + alias + "-v-*?format=json&h=index");
        assertTrue(r.ok(), r.body());
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readArray().stream().map(v -> v.asJsonObject().getString("index"))
                    .filter(n -> !n.equals(live)).findFirst().orElseThrow(() -> new AssertionError(r.body()));
        }
    }

    @Test
    void incrementalBuildsEmbedOnlyWhatChangedAndDeleteWhatWasRemoved() throws Exception {
        Path dataset = TestDatasets.colours(tmp.resolve("dataset"), 4);
        String name = newIndexName();
        try (RetrievalEngine os = open(config("opensearch", name, 60), "m1")) {
            assertEquals(12, os.status().images());
            BuildResult again = os.rebuild(null);
            assertEquals(0, again.embedded());
            assertEquals(12, again.reused());

            Files.delete(dataset.resolve("red/red_000.jpg"));
            TestDatasets.write(dataset.resolve("blue/new.png"), TestImages.noisyColour(new Color(20, 20, 220), 99, 64,
                    48));
            BuildResult changed = os.rebuild(null);
            assertEquals(1, changed.embedded());
            assertEquals(1, changed.removed());
            assertEquals(12, os.stats().images());
            assertEquals(Map.of("red", 3, "green", 4, "blue", 5), os.stats().classCounts());
            assertThrows(ImageNotFoundException.class, () -> os.image(ImageIds.of("red/red_000.jpg")));
            assertEquals("blue/new.png", os.image(ImageIds.of("blue/new.png")).path());
        }
        // another node (a second engine on the same cluster) serves the index without building it
        try (RetrievalEngine other = RetrievalEngine.open(config("opensearch", name, 60),
                c -> new FakeEmbedder("m1"))) {
            assertFalse(other.status().building());
            assertEquals("ok", other.status().state(), other.status().message());
            assertEquals(12, other.status().images());
        }
    }

    @Test
    void aModelChangeFillsANewIndexAndSwitchesTheAliasAtOnce() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 3);
        String name = newIndexName();
        try (RetrievalEngine old = open(config("opensearch", name, 60), "m1")) {
            assertEquals("ok", old.status().state(), old.status().message());
            String before = physical(name);
            float[] q = query(new Color(190, 40, 40), 7);
            assertEquals(5, old.search(q, 5).size());
            try (RetrievalEngine os = open(config("opensearch", name, 60), "m2")) {
                EngineStatus s = os.status();
                assertEquals("ok", s.state(), s.message());
                assertEquals("m2", os.stats().metadata().modelHash());
                String after = physical(name);
                assertNotEquals(before, after, "a new physical index");
                assertOneSegmentPerPrimary(name);
                assertEquals("1", settings(name).getString("index.number_of_replicas"));
                assertFalse(settings(name).containsKey("index.refresh_interval"));
                assertEquals(404, cluster.request("GET", "/" + before).status(), "the old one is gone");
                OpenSearchCluster.Response m1Docs = cluster.request("POST", "/" + name + "/_count",
                        "{\"query\":{\"term\":{\"model_hash\":\"m1\"}}}");
                assertTrue(m1Docs.body().contains("\"count\":0"), "never a mix of models: " + m1Docs.body());
                assertEquals(9, os.status().images());
            }
            // a node still on the old model must not search the new model's vectors with its queries
            Thread.sleep(2500);
            EngineStatus stale = old.status();
            assertEquals("degraded", stale.state(), stale.message());
            assertTrue(stale.message().contains("MODEL_PATH"), stale.message());
            assertThrows(NotReadyException.class, () -> old.search(q, 5));
        }
    }

    /** A counter of the index's {@code _stats} over every shard copy, e.g. ("get", "total"). */
    private static long stat(String index, String group, String counter) throws Exception {
        OpenSearchCluster.Response r = cluster.request("GET", "/" + index + "/_stats/" + group);
        assertTrue(r.ok(), r.body());
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject().getJsonObject("_all").getJsonObject("total").getJsonObject(group)
                    .getJsonNumber(counter).longValue();
        }
    }

    private static void assertOneSegmentPerPrimary(String index) throws Exception {
        Map<String, Integer> perShard = segmentsOfPrimaries(index);
        assertFalse(perShard.isEmpty());
        assertTrue(perShard.values().stream().allMatch(n -> n == 1), "one segment per primary: " + perShard);
    }

    /** Searchable segments per primary shard. */
    private static Map<String, Integer> segmentsOfPrimaries(String index) throws Exception {
        OpenSearchCluster.Response r = cluster.request("GET", "/_cat/segments/" + index + "?format=json");
        assertTrue(r.ok(), r.body());
        Map<String, Integer> perShard = new HashMap<>();
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            for (JsonValue row : reader.readArray()) {
                JsonObject o = row.asJsonObject();
                if (o.getString("prirep").equals("p") && "true".equals(o.getString("searchable", "true"))) {
                    perShard.merge(o.getString("shard"), 1, Integer::sum);
                }
            }
        }
        return perShard;
    }

    /** The index's own settings (flat keys), without defaults. */
    private static JsonObject settings(String index) throws Exception {
        OpenSearchCluster.Response r = cluster.request("GET", "/" + index + "/_settings?flat_settings=true");
        assertTrue(r.ok(), r.body());
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject().values().iterator().next().asJsonObject().getJsonObject("settings");
        }
    }

    private static String physical(String alias) throws Exception {
        OpenSearchCluster.Response r = cluster.request("GET", "/_alias/" + alias);
        assertTrue(r.ok(), r.body());
        String body = r.body();
        return body.substring(2, body.indexOf('"', 2));
    }

    @Test
    void aLeaseHeldByAnotherNodeStopsBuildsUntilItExpires() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 2);
        String name = newIndexName();
        try (RetrievalEngine os = open(config("opensearch", name, 5), "m1")) {
            assertEquals("ok", os.status().state(), os.status().message());
            // another node took the lease and died holding it
            long expires = System.currentTimeMillis() + 4000;
            OpenSearchCluster.Response put = cluster.request("PUT", "/" + name + "-lease/_doc/build?refresh=true",
                    "{\"holder\":\"dead-node\",\"expires\":" + expires + "}");
            assertTrue(put.ok(), put.body());
            BuildInProgressException busy = assertThrows(BuildInProgressException.class, () -> os.rebuild(null));
            assertTrue(busy.getMessage().contains("dead-node"), busy.getMessage());
            assertEquals("ok", os.status().state(), "a refused build is no failure: " + os.status().message());
            Thread.sleep(Math.max(0, expires - System.currentTimeMillis()) + 500);
            BuildResult r = os.rebuild(null);
            assertEquals(6, r.total());
            OpenSearchCluster.Response lease = cluster.request("GET", "/" + name + "-lease/_doc/build");
            assertEquals(404, lease.status(), "given back after the build: " + lease.body());
        }
    }

    @Test
    void searchesKeepAnsweringWhenANodeIsKilled() throws Exception {
        TestDatasets.colours(tmp.resolve("dataset"), 3);
        String name = newIndexName();
        try (RetrievalEngine os = open(config("opensearch", name, 60), "m1")) {
            cluster.waitForGreen();
            float[] q = query(new Color(30, 170, 50), 5);
            List<String> before = paths(os.search(q, 4));
            cluster.kill9(0);
            try {
                for (int i = 0; i < 5; i++) {
                    assertEquals(before, paths(os.search(q, 4)), "the replica answers");
                }
                assertEquals(9, os.stats().images());
            } finally {
                cluster.restartNode(0);
            }
        }
    }
}
