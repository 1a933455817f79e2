package com.imageretrieval.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.imageretrieval.testing.TestModels;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two app nodes, Payara Micro and WildFly, on one OpenSearch index (the scale-out set-up of docs/scale-out.md):
 * they answer the same results, an update indexed through one is seen through the other, and when the node that
 * builds is killed (kill -9) the other takes the build lease over once it expires and finishes the build. Both run
 * the reindex timer; the lease decides which one builds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OpenSearchCluster.DumpLogsOnFailure.class)
class MixedNodesOpenSearchIT {

    private static final Duration WAIT = Duration.ofSeconds(120);

    private OpenSearchCluster cluster;
    private String index;
    private Path dataset;
    private ServerProcess payara;
    private ServerProcess wildfly;
    private Http onPayara;
    private Http onWildFly;

    @BeforeAll
    void start() throws Exception {
        Path work = Path.of(System.getProperty("it.work", "target/it")).resolve(getClass().getSimpleName());
        ApiContractIT.deleteTree(work);
        dataset = work.resolve("dataset");
        ItDataset.generate(dataset, 7);
        Path model = TestModels.colourModel(work.resolve("models/colour.onnx"));
        cluster = OpenSearchCluster.shared();
        Map<String, String> env = new LinkedHashMap<>(OpenSearchMode.environment("mixed"));
        index = env.get("OPENSEARCH_INDEX");
        env.put("DATASET_DIR", dataset.toAbsolutePath().toString());
        env.put("MODEL_PATH", model.toAbsolutePath().toString());
        env.put("ADMIN_TOKEN", ApiContractIT.TOKEN);
        env.put("REINDEX_SCHEDULE", "3s");
        payara = new PayaraServer(Files.createDirectories(work.resolve("payara")));
        wildfly = new WildFlyServer(Files.createDirectories(work.resolve("wildfly")));
        Map<String, String> p = new LinkedHashMap<>(env);
        p.put("ARTIFACTS_DIR", work.resolve("payara/artifacts").toString());
        Map<String, String> w = new LinkedHashMap<>(env);
        w.put("ARTIFACTS_DIR", work.resolve("wildfly/artifacts").toString());
        payara.start(p, ApiContractIT.START_TIMEOUT);
        wildfly.start(w, ApiContractIT.START_TIMEOUT);
        onPayara = new Http(payara.base());
        onWildFly = new Http(wildfly.base());
    }

    @AfterAll
    void stop() {
        for (ServerProcess s : new ServerProcess[] {payara, wildfly}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static JsonObject json(Http.Answer a) {
        assertEquals(200, a.status(), a.abbreviated());
        return a.json();
    }

    private static void awaitImages(Http http, int images) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonObject h = null;
        while (System.nanoTime() < deadline) {
            Http.Answer a = http.get("/api/health");
            if (a.status() == 200) {
                h = a.json();
                if ("ok".equals(h.getString("status")) && h.getInt("images") == images) {
                    return;
                }
            }
            Thread.sleep(500);
        }
        fail("not ok with " + images + " images within " + WAIT + ": " + h);
    }

    private static List<String> results(Http http, byte[] jpeg) throws Exception {
        Http.Answer a = http.multipart("/api/search", List.of(Http.Part.file("image", "q.jpg", "image/jpeg", jpeg),
                Http.Part.field("topK", "8")));
        List<String> out = new ArrayList<>();
        for (JsonValue r : json(a).getJsonArray("results")) {
            JsonObject o = r.asJsonObject();
            out.add(o.getString("path") + " " + o.getJsonNumber("similarity"));
        }
        return out;
    }

    @Test
    @Order(1)
    void bothServersAnswerTheSameResults() throws Exception {
        awaitImages(onPayara, ItDataset.total());
        awaitImages(onWildFly, ItDataset.total());
        for (String q : List.of("red/red-03.jpg", "green/green-07.jpg", "purple/purple-00.jpg")) {
            byte[] jpeg = Files.readAllBytes(dataset.resolve(q));
            List<String> p = results(onPayara, jpeg);
            assertEquals(8, p.size());
            assertTrue(p.get(0).startsWith(q + " "), "the query image first: " + p);
            assertEquals(p, results(onWildFly, jpeg), "the same paths and similarities on both servers");
        }
        assertEquals(json(onPayara.get("/api/gallery?limit=200")), json(onWildFly.get("/api/gallery?limit=200")));
        assertEquals(json(onPayara.get("/api/stats")).getJsonObject("classes"),
                json(onWildFly.get("/api/stats")).getJsonObject("classes"));
    }

    @Test
    @Order(2)
    void anImageIndexedThroughOneServerIsSeenThroughTheOther() throws Exception {
        Path cyan = Files.createDirectories(dataset.resolve("cyan"));
        ImageIO.write(ItDataset.cyanPicture(3), "jpg", cyan.resolve("cyan-00.jpg").toFile());
        long deadline = System.nanoTime() + WAIT.toNanos();
        Http.Answer started;
        do {
            // 409 while a timer build of either node holds the lease; then this one starts on Payara
            started = onPayara.post("/api/admin/reindex", "application/json", new byte[0], "Authorization",
                    ApiContractIT.BEARER);
            Thread.sleep(200);
        } while (started.status() == 409 && System.nanoTime() < deadline);
        assertEquals(202, started.status(), started.abbreviated());
        awaitImages(onWildFly, ItDataset.total() + 1);
        JsonObject gallery = json(onWildFly.get("/api/gallery?label=cyan"));
        assertEquals(1, gallery.getInt("total"), gallery.toString());
        List<String> hits = results(onWildFly, Files.readAllBytes(cyan.resolve("cyan-00.jpg")));
        assertTrue(hits.get(0).startsWith("cyan/cyan-00.jpg "), hits.toString());
    }

    @Test
    @Order(3)
    void whenTheBuildingNodeIsKilledTheOtherFinishesTheBuild() throws Exception {
        // enough new photo-sized images that a build takes seconds, so it can be caught half-way
        Path staging = dataset.getParent().resolve("more");
        int added = 0;
        for (int batch = 0; batch < 6; batch++) {
            Path b = staging.resolve("b" + batch);
            ItDataset.generate(b, 100 + batch);
            for (String label : ItDataset.HUES.keySet()) {
                Files.move(b.resolve(label), dataset.resolve("more" + batch + "-" + label));
                added += ItDataset.PER_CLASS;
            }
        }
        int expected = ItDataset.total() + 1 + added;
        // the timers start it; find the node holding the lease while it builds
        ServerProcess builder = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (builder == null && System.nanoTime() < deadline) {
            OpenSearchCluster.Response lease = cluster.request("GET", "/" + index + "-lease/_doc/build");
            if (lease.ok()) {
                JsonObject src = Json.createReader(new StringReader(lease.body())).readObject()
                        .getJsonObject("_source");
                long pid = Long.parseLong(src.getString("holder").split("/")[1]);
                builder = payara.pids().contains(pid) ? payara : wildfly.pids().contains(pid) ? wildfly : null;
            }
            Thread.sleep(100);
        }
        assertTrue(builder != null, "no node took the build lease");
        ServerProcess survivor = builder == payara ? wildfly : payara;
        Http survivorHttp = survivor == payara ? onPayara : onWildFly;
        builder.kill9();
        int before = json(survivorHttp.get("/api/health")).getInt("images");
        assertTrue(before < expected, "killed half-way: " + before + " of " + expected + " indexed");
        // searches keep answering from the survivor meanwhile
        assertEquals(200, survivorHttp.multipart("/api/search", List.of(Http.Part.file("image", "q.jpg",
                "image/jpeg", Files.readAllBytes(dataset.resolve("red/red-03.jpg"))))).status());
        // the lease expires (OPENSEARCH_LEASE_SECONDS=5), the survivor's timer takes it over and finishes
        long killedAt = System.nanoTime();
        awaitImages(survivorHttp, expected);
        System.out.printf("[MixedNodesOpenSearchIT] killed %s while building (%d of %d images indexed); %s finished"
                + " the build %.1f s later%n", builder.name, before, expected, survivor.name,
                (System.nanoTime() - killedAt) / 1e9);
        JsonObject stats = json(survivorHttp.get("/api/stats"));
        assertEquals(expected, stats.getInt("images"));
        JsonArray results = json(survivorHttp.get("/api/gallery?label=more5-yellow")).getJsonArray("images");
        assertEquals(ItDataset.PER_CLASS, results.size());
        assertFalse(survivor.pids().isEmpty(), "the survivor still runs");
    }
}
