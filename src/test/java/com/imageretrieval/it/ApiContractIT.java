package com.imageretrieval.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The HTTP contract of issue 3, run against one server per subclass (so Failsafe reports each server's counts on
 * its own line). The tests share one server and run in order: the first build, then reads, errors, static files,
 * admin, the timer, a redeploy, and last a restart without ADMIN_TOKEN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ApiContractIT {

    static final String TOKEN = "it-admin-token-" + Long.toHexString(System.nanoTime());
    static final String BEARER = "Bearer " + TOKEN;
    static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    ServerProcess server;
    Http http;
    Path dataset;
    Path model;
    Path artifacts;
    Path outside;
    Duration startup;
    long rssAfterStart;
    /** Health bodies seen from the first answer until "ok". */
    final List<String> healthStates = new ArrayList<>();
    int indexed;

    abstract ServerProcess newServer(Path work) throws IOException;

    @BeforeAll
    void startServer() throws Exception {
        Path work = Path.of(System.getProperty("it.work", "target/it")).resolve(getClass().getSimpleName());
        deleteTree(work);
        dataset = work.resolve("dataset");
        artifacts = work.resolve("artifacts");
        outside = Files.createDirectories(work.resolve("outside"));
        ItDataset.generate(dataset, 42);
        ImageIO.write(ItDataset.cyanPicture(1), "jpg", outside.resolve("secret.jpg").toFile());
        model = ItModels.colourModel(work.resolve("models/colour.onnx"));
        server = newServer(work);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATASET_DIR", dataset.toAbsolutePath().toString());
        env.put("MODEL_PATH", model.toAbsolutePath().toString());
        env.put("ARTIFACTS_DIR", artifacts.toAbsolutePath().toString());
        env.put("ADMIN_TOKEN", TOKEN);
        env.put("REINDEX_SCHEDULE", "5s");
        env.put("MAX_UPLOAD_MB", "1");
        env.put("TOP_K", "12");
        startup = server.start(env, START_TIMEOUT);
        rssAfterStart = server.rssMiB();
        http = new Http(server.base());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            long rss = server.rssMiB();
            server.close();
            System.out.printf("[%s] %s: first start answered /api/health after %.1f s, RSS %d MiB after start, "
                    + "%d MiB at the end; health states seen: %s; log %s%n", getClass().getSimpleName(),
                    server.name, startup == null ? -1.0 : startup.toMillis() / 1000.0, rssAfterStart, rss,
                    healthStates, server.log);
        }
    }

    // ---------------------------------------------------------------- first build

    @Test
    @Order(1)
    void answers409And503WhileTheFirstBuildRuns() throws Exception {
        JsonObject status = http.get("/api/admin/reindex", "Authorization", BEARER).json();
        JsonObject progress = status.getJsonObject("progress");
        boolean early = status.getBoolean("building", false) && progress != null
                && progress.getInt("total") - progress.getInt("done") > 5;
        Assumptions.assumeTrue(early, "the first build was over (or nearly) before the server answered: " + status);
        Http.Answer again = http.post("/api/admin/reindex", "application/json", new byte[0], "Authorization", BEARER);
        assertError(again, 409, "build_in_progress");
        JsonObject health = http.get("/api/health").json();
        if (!health.getBoolean("indexReady")) {
            Http.Answer search = search(jpeg("red/red-00.jpg"), null);
            assertError(search, 503, "not_ready");
            assertTrue(search.header("Retry-After").isPresent(), "503 without Retry-After");
        }
    }

    @Test
    @Order(2)
    void healthGoesFromBuildingToOk() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonObject h;
        do {
            Http.Answer a = http.get("/api/health");
            assertEquals(200, a.status(), a.abbreviated());
            assertJson(a);
            h = a.json();
            String state = h.getString("status");
            if (healthStates.isEmpty() || !healthStates.get(healthStates.size() - 1).equals(state)) {
                healthStates.add(state);
            }
            assertTrue(Set.of("building", "ok").contains(state), "unexpected health " + h);
            if (state.equals("ok")) {
                break;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals("ok", h.getString("status"), "no ok within 3 minutes: " + h);
        assertTrue(h.getBoolean("modelLoaded"));
        assertTrue(h.getBoolean("indexReady"));
        assertEquals(ItDataset.total(), h.getInt("images"));
        assertTrue(h.containsKey("message"));
        indexed = h.getInt("images");
        System.out.println("[" + getClass().getSimpleName() + "] health states seen: " + healthStates);
    }

    // ---------------------------------------------------------------- reads

    @Test
    @Order(10)
    void statsCountImagesAndClasses() throws Exception {
        Http.Answer a = http.get("/api/stats");
        assertEquals(200, a.status(), a.abbreviated());
        JsonObject s = a.json();
        assertEquals(ItDataset.total(), s.getInt("images"));
        assertEquals(ItModels.DIMENSION, s.getInt("dimension"));
        assertEquals("cpu", s.getString("device"));
        assertTrue(s.getString("model").contains("colour"), s.toString());
        Instant built = Instant.parse(s.getString("generatedAt"));
        assertTrue(built.isAfter(Instant.now().minus(Duration.ofHours(1))), "generatedAt " + built);
        JsonObject classes = s.getJsonObject("classes");
        assertEquals(ItDataset.HUES.keySet(), classes.keySet());
        for (String label : ItDataset.HUES.keySet()) {
            assertEquals(ItDataset.PER_CLASS, classes.getInt(label), label);
        }
    }

    @Test
    @Order(11)
    void galleryPagesAndFiltersByLabel() throws Exception {
        Set<Long> ids = new HashSet<>();
        Set<String> paths = new HashSet<>();
        for (int offset = 0; offset < ItDataset.total(); offset += 7) {
            JsonObject page = ok(http.get("/api/gallery?limit=7&offset=" + offset)).json();
            assertEquals(ItDataset.total(), page.getInt("total"));
            int expected = Math.min(7, ItDataset.total() - offset);
            assertEquals(expected, page.getJsonArray("images").size(), "page at " + offset);
            for (JsonValue v : page.getJsonArray("images")) {
                JsonObject img = v.asJsonObject();
                ids.add(img.getJsonNumber("id").longValue());
                paths.add(img.getString("path"));
                assertEquals(img.getString("path").split("/")[0], img.getString("label"));
                assertEquals("/dataset/" + img.getString("path"), img.getString("url"));
            }
            assertEquals(ItDataset.HUES.size(), page.getJsonArray("classes").size());
        }
        assertEquals(ItDataset.total(), ids.size(), "paging must visit every image once");
        assertEquals(ItDataset.total(), paths.size());
        assertEquals(0, ok(http.get("/api/gallery?offset=" + ItDataset.total())).json().getJsonArray("images")
                .size());
        JsonObject defaults = ok(http.get("/api/gallery")).json();
        assertEquals(24, defaults.getJsonArray("images").size());

        JsonObject red = ok(http.get("/api/gallery?label=red&limit=200")).json();
        assertEquals(ItDataset.PER_CLASS, red.getInt("total"));
        assertEquals(ItDataset.PER_CLASS, red.getJsonArray("images").size());
        for (JsonValue v : red.getJsonArray("images")) {
            assertEquals("red", v.asJsonObject().getString("label"));
        }
        JsonObject counts = red.getJsonArray("classes").getJsonObject(0);
        assertEquals("blue", counts.getString("name"));
        assertEquals(ItDataset.PER_CLASS, counts.getInt("count"));
        assertEquals(0, ok(http.get("/api/gallery?label=nosuchlabel")).json().getInt("total"));
    }

    @Test
    @Order(12)
    void searchFindsTheQueryImageFirst() throws Exception {
        for (String path : List.of("green/green-03.jpg", "purple/purple-07.jpg", "yellow/yellow-00.jpg")) {
            JsonObject r = ok(search(jpeg(path), "5")).json();
            assertEquals(5, r.getInt("topK"));
            assertEquals(5, r.getJsonArray("results").size());
            JsonObject first = r.getJsonArray("results").getJsonObject(0);
            assertEquals(path, first.getString("path"), r.toString());
            assertEquals(1, first.getInt("rank"));
            assertTrue(first.getJsonNumber("similarity").doubleValue() >= 0.999, first.toString());
            assertEquals(path.split("/")[0], first.getString("label"));
            assertEquals("/dataset/" + path, first.getString("url"));
            double previous = 2;
            for (int i = 0; i < 5; i++) {
                JsonObject hit = r.getJsonArray("results").getJsonObject(i);
                assertEquals(i + 1, hit.getInt("rank"));
                double sim = hit.getJsonNumber("similarity").doubleValue();
                assertTrue(sim <= previous + 1e-6, "results must be sorted: " + r);
                previous = sim;
            }
            // The nearest neighbours of a colour are images of the same colour.
            assertEquals(path.split("/")[0], r.getJsonArray("results").getJsonObject(1).getString("label"));
            assertTrue(r.getJsonNumber("tookMs").longValue() >= 0);
        }
        assertEquals(12, ok(search(jpeg("red/red-01.jpg"), null)).json().getJsonArray("results").size());
        assertEquals(1, ok(search(jpeg("red/red-01.jpg"), "1")).json().getJsonArray("results").size());
        assertEquals(ItDataset.total(), ok(search(jpeg("red/red-01.jpg"), "100")).json().getJsonArray("results")
                .size());
        // PNG works as well as JPEG.
        JsonObject png = ok(search(png("blue/blue-04.jpg"), "3")).json();
        assertEquals("blue/blue-04.jpg", png.getJsonArray("results").getJsonObject(0).getString("path"));
    }

    // ---------------------------------------------------------------- errors

    @Test
    @Order(20)
    void everyErrorIsJson() throws Exception {
        assertError(http.multipart("/api/search", List.of(Http.Part.field("topK", "3"))), 400, "missing_image");
        byte[] corruptPng = new byte[2000];
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(sig, 0, corruptPng, 0, sig.length);
        for (int i = sig.length; i < corruptPng.length; i++) {
            corruptPng[i] = (byte) (i * 31);
        }
        assertError(http.multipart("/api/search", List.of(Http.Part.file("image", "broken.png", "image/png",
                corruptPng))), 400, "not_an_image");
        assertError(http.multipart("/api/search", List.of(Http.Part.file("image", "empty.jpg", "image/jpeg",
                new byte[0]))), 400, "empty_image");
        assertError(http.multipart("/api/search", List.of(Http.Part.file("image", "notes.txt", "text/plain",
                "just some text, not a picture\n".getBytes(StandardCharsets.UTF_8)))), 415, "unsupported_type");
        for (String bad : List.of("0", "101", "ten", "-3")) {
            assertError(search(jpeg("red/red-00.jpg"), bad), 400, "bad_top_k");
        }
        for (String bad : List.of("limit=0", "limit=201", "limit=x", "offset=-1")) {
            assertError(http.get("/api/gallery?" + bad), 400, bad.startsWith("limit") ? "bad_limit" : "bad_offset");
        }
        byte[] big = new byte[(int) (1.5 * 1024 * 1024)];
        System.arraycopy(jpeg("red/red-00.jpg"), 0, big, 0, 1000);
        assertError(http.multipart("/api/search", List.of(Http.Part.file("image", "big.jpg", "image/jpeg", big))),
                413, "too_large");
        assertError(http.post("/api/search", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 415,
                "unsupported_media_type");
        assertError(http.get("/api/no-such-thing"), 404, "not_found");
        assertError(http.get("/api/no-such-thing", "Accept", "text/html"), 404, "not_found");
        Http.Answer notAllowed = http.method("DELETE", "/api/health");
        assertError(notAllowed, 405, "method_not_allowed");
        assertError(http.get("/no-such-page.html"), 404, "not_found");
    }

    @Test
    @Order(21)
    void openApiAndHomePageAreServed() throws Exception {
        Http.Answer api = ok(http.get("/api/openapi.yaml"));
        assertTrue(api.text().startsWith("openapi: 3"), api.abbreviated());
        assertTrue(api.text().contains("/api/search"));
        Http.Answer home = ok(http.get("/"));
        assertTrue(home.contentType().startsWith("text/html"), home.contentType());
        assertTrue(home.text().contains("<form") && home.text().contains("api/search"));
        assertFalse(home.text().contains("http://") || home.text().contains("https://"), "no external URLs");
    }

    // ---------------------------------------------------------------- static files

    @Test
    @Order(30)
    void servesDatasetImagesWithCacheHeaders() throws Exception {
        Http.Answer img = http.get("/dataset/blue/blue-02.jpg");
        assertEquals(200, img.status());
        assertEquals("image/jpeg", img.contentType().split(";")[0]);
        assertArrayEquals(Files.readAllBytes(dataset.resolve("blue/blue-02.jpg")), img.body());
        String etag = img.header("ETag").orElseThrow(() -> new AssertionError("no ETag"));
        assertTrue(img.header("Last-Modified").isPresent(), "no Last-Modified");
        assertTrue(img.header("Cache-Control").orElse("").contains("max-age"), "no Cache-Control max-age");
        assertEquals(304, http.get("/dataset/blue/blue-02.jpg", "If-None-Match", etag).status());
        assertEquals(200, http.get("/dataset/blue/blue-02.jpg", "If-None-Match", "\"other\"").status());
    }

    @Test
    @Order(31)
    void refusesEverythingOutsideTheDataset() throws Exception {
        Files.createSymbolicLink(dataset.resolve("escape"), outside.toAbsolutePath());
        try {
            List<String> attempts = new ArrayList<>(List.of(
                    "/dataset/../WEB-INF/web.xml",
                    "/dataset/%2e%2e/WEB-INF/web.xml",
                    "/dataset/%252e%252e/WEB-INF/web.xml",
                    "/dataset/%2e%2e%2fWEB-INF%2fweb.xml",
                    "/dataset//etc/passwd",
                    "/dataset/%2Fetc%2Fpasswd",
                    "/dataset/" + outside.toAbsolutePath() + "/secret.jpg",
                    "/dataset/escape/secret.jpg",
                    "/dataset/README.txt",
                    "/dataset/red/",
                    "/dataset/red/missing.jpg",
                    "/WEB-INF/web.xml",
                    "/WEB-INF/classes/com/imageretrieval/web/openapi.yaml"));
            // After decoding these climb above the server root.
            List<String> aboveRoot = List.of(
                    "/dataset/%2E%2E/%2E%2E/etc/passwd",
                    "/dataset/..%2f..%2f..%2fetc%2fpasswd",
                    "/dataset/../../../etc/passwd");
            List<String> backslashes = List.of(
                    "/dataset/..%5cWEB-INF%5cweb.xml",
                    "/dataset/red%5c..%5c..%5cWEB-INF%5cweb.xml",
                    "/dataset/red/red-00.jpg%00.png");
            List<String> rawBackslashes = List.of("/dataset/..\\WEB-INF\\web.xml", "/dataset/red\\red-00.jpg");
            List<String> failures = new ArrayList<>();
            for (String target : attempts) {
                check(target, 404, failures);
            }
            for (String target : aboveRoot) {
                check(target, server.rejectsAboveRoot() ? 400 : 404, failures);
            }
            for (String target : backslashes) {
                check(target, server.rejectsEncodedBackslash() ? 400 : 404, failures);
            }
            for (String target : rawBackslashes) {
                Http.RawAnswer a = http.raw(target);
                if (a.status() != 404 && a.status() != 400) {
                    failures.add(target + " -> " + a.status());
                }
                assertFalse(a.body().contains("<web-app") || a.body().contains("root:"), target);
            }
            assertTrue(failures.isEmpty(), "not refused as expected: " + failures);
        } finally {
            Files.delete(dataset.resolve("escape"));
        }
    }

    private void check(String target, int expected, List<String> failures) throws IOException {
        Http.RawAnswer a = http.raw(target);
        if (a.status() != expected) {
            failures.add(target + " -> " + a.status() + " (expected " + expected + ")");
        }
        assertFalse(a.body().contains("<web-app") || a.body().contains("root:") || a.body().contains("openapi:"),
                target + " leaked a file: " + a.body());
        assertFalse(a.body().contains("Exception") || a.body().contains("\tat "), target + ": stack trace");
    }

    // ---------------------------------------------------------------- admin and progress

    @Test
    @Order(40)
    void adminNeedsTheRightToken() throws Exception {
        Http.Answer none = http.post("/api/admin/reindex", "application/json", new byte[0]);
        assertError(none, 401, "unauthorized");
        assertTrue(none.header("WWW-Authenticate").orElse("").startsWith("Bearer"), "WWW-Authenticate");
        assertError(http.post("/api/admin/reindex", "application/json", new byte[0], "Authorization",
                "Bearer wrong"), 401, "unauthorized");
        assertError(http.post("/api/admin/reindex", "application/json", new byte[0], "Authorization",
                BEARER + "x"), 401, "unauthorized");
        assertError(http.get("/api/admin/reindex", "Authorization", "Basic " + TOKEN), 401, "unauthorized");

        Http.Answer started = null;
        for (int i = 0; i < 20; i++) { // the 5 s timer may be running a build just now: then 409, try again
            started = http.post("/api/admin/reindex", "application/json", new byte[0], "Authorization", BEARER);
            if (started.status() != 409) {
                break;
            }
            assertError(started, 409, "build_in_progress");
            Thread.sleep(300);
        }
        assertEquals(202, started.status(), started.abbreviated());
        assertEquals("started", started.json().getString("status"));

        JsonObject status = ok(http.get("/api/admin/reindex", "Authorization", BEARER)).json();
        assertTrue(status.containsKey("building"), status.toString());
        assertEquals(ItDataset.total(), status.getInt("images"));
        JsonObject last = awaitLastBuild();
        assertEquals(ItDataset.total(), last.getInt("total"), last.toString());
    }

    @Test
    @Order(41)
    void progressStreamsServerSentEvents() throws Exception {
        List<String[]> events = http.events("/api/index/progress", Duration.ofSeconds(60));
        assertFalse(events.isEmpty(), "no event before the stream closed");
        String[] last = events.get(events.size() - 1);
        assertTrue(Set.of("idle", "done").contains(last[0]), "last event " + last[0]);
        for (String[] e : events) {
            assertTrue(Set.of("idle", "progress", "done").contains(e[0]), "event " + e[0]);
            assertTrue(e[1].startsWith("{"), "JSON data: " + e[1]);
        }
        assertTrue(last[1].contains("\"images\":" + ItDataset.total()), last[1]);
    }

    @Test
    @Order(42)
    void theMBeanShowsTheIndexAndReindexes() throws Exception {
        Assumptions.assumeTrue(server.jmxUrl().isPresent(), server.name + ": no remote JMX in this test set-up "
                + "(WildFly's platform MBeans need its own remoting client)");
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(server.jmxUrl().get()))) {
            MBeanServerConnection mbs = c.getMBeanServerConnection();
            ObjectName name = new ObjectName("com.imageretrieval:type=Index,name=ImageRetrieval");
            assertEquals(ItDataset.total(), ((Number) mbs.getAttribute(name, "Images")).intValue());
            assertTrue(mbs.getAttribute(name, "Building") instanceof Boolean);
            assertTrue(mbs.getAttribute(name, "LastBuild").toString().contains("total="), "LastBuild");
            String answer = "";
            for (int i = 0; i < 20; i++) { // the 5 s timer may be building just now
                answer = (String) mbs.invoke(name, "reindex", new Object[0], new String[0]);
                if (answer.equals("started")) {
                    break;
                }
                Thread.sleep(300);
            }
            assertEquals("started", answer);
            awaitLastBuild();
        }
    }

    // ---------------------------------------------------------------- timer, redeploy, restart

    @Test
    @Order(50)
    void theTimerIndexesAnAddedImage() throws Exception {
        Path added = Files.createDirectories(dataset.resolve("cyan")).resolve("cyan-new.png");
        ImageIO.write(ItDataset.cyanPicture(7), "png", added.toFile());
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int images = 0;
        while (System.nanoTime() < deadline) {
            images = ok(http.get("/api/stats")).json().getInt("images");
            if (images == ItDataset.total() + 1) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(ItDataset.total() + 1, images, "the timer (REINDEX_SCHEDULE=5s) did not index the new image");
        JsonObject r = ok(search(Files.readAllBytes(added), "3")).json();
        JsonObject first = r.getJsonArray("results").getJsonObject(0);
        assertEquals("cyan/cyan-new.png", first.getString("path"));
        assertTrue(first.getJsonNumber("similarity").doubleValue() >= 0.999);
        assertEquals(1, ok(http.get("/api/gallery?label=cyan")).json().getInt("total"));
        assertEquals(200, http.get("/dataset/cyan/cyan-new.png").status());
    }

    @Test
    @Order(60)
    void aRedeployKeepsTheIndex() throws Exception {
        JsonObject before = ok(http.get("/api/stats")).json();
        server.redeploy();
        JsonObject first = Json(server.awaitHealthAnswer(START_TIMEOUT));
        // The engine opens the stored index while the application deploys, before it answers any request: a lost
        // index would show here as indexReady=false while a new build runs.
        assertTrue(first.getBoolean("indexReady"), "index not ready right after the redeploy: " + first);
        assertEquals(before.getInt("images"), first.getInt("images"));
        JsonObject after = ok(http.get("/api/stats")).json();
        assertEquals(before.getInt("images"), after.getInt("images"));
        assertEquals(before.getJsonObject("classes"), after.getJsonObject("classes"));
        JsonObject r = ok(search(jpeg("green/green-05.jpg"), "1")).json();
        assertEquals("green/green-05.jpg", r.getJsonArray("results").getJsonObject(0).getString("path"));
    }

    @Test
    @Order(70)
    void withoutAdminTokenTheAdminApiIsClosed() throws Exception {
        server.stop();
        Map<String, String> env = new HashMap<>(server.environment());
        env.remove("ADMIN_TOKEN");
        server.start(env, START_TIMEOUT);
        JsonObject first = ok(http.get("/api/health")).json();
        assertTrue(first.getBoolean("indexReady"), "index not ready right after a restart: " + first);
        assertEquals(ItDataset.total() + 1, first.getInt("images"));
        assertError(http.post("/api/admin/reindex", "application/json", new byte[0], "Authorization", BEARER), 403,
                "admin_disabled");
        assertError(http.post("/api/admin/reindex", "application/json", new byte[0]), 403, "admin_disabled");
        assertError(http.get("/api/admin/reindex", "Authorization", BEARER), 403, "admin_disabled");
    }

    // ---------------------------------------------------------------- helpers

    private JsonObject awaitLastBuild() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonObject s;
        do {
            s = ok(http.get("/api/admin/reindex", "Authorization", BEARER)).json();
            if (!s.getBoolean("building") && s.containsKey("lastBuild")) {
                return s.getJsonObject("lastBuild");
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return fail("the reindex did not finish within 60 s: " + s);
    }

    Http.Answer search(byte[] image, String topK) throws IOException, InterruptedException {
        List<Http.Part> parts = new ArrayList<>();
        parts.add(Http.Part.file("image", "query.jpg", "image/jpeg", image));
        if (topK != null) {
            parts.add(Http.Part.field("topK", topK));
        }
        return http.multipart("/api/search", parts);
    }

    byte[] jpeg(String relative) throws IOException {
        return Files.readAllBytes(dataset.resolve(relative));
    }

    /** The same picture re-encoded as PNG (lossless, so the pixels equal the decoded JPEG's). */
    byte[] png(String relative) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(ImageIO.read(dataset.resolve(relative).toFile()), "png", out);
        return out.toByteArray();
    }

    static Http.Answer ok(Http.Answer a) {
        assertEquals(200, a.status(), a.abbreviated());
        assertJsonOrOther(a);
        return a;
    }

    private static void assertJsonOrOther(Http.Answer a) {
        if (a.contentType().startsWith("application/json")) {
            assertNotNull(a.json());
        }
    }

    static void assertJson(Http.Answer a) {
        assertTrue(a.contentType().startsWith("application/json"), "content type " + a.contentType() + ": "
                + a.abbreviated());
    }

    static void assertError(Http.Answer a, int status, String code) {
        assertEquals(status, a.status(), a.abbreviated());
        assertJson(a);
        JsonObject body = a.json();
        assertEquals(code, body.getString("error"), body.toString());
        assertFalse(body.getString("message").isBlank(), body.toString());
        assertFalse(a.text().contains("Exception") || a.text().contains("\tat ") || a.text().contains("<html"),
                "leaks internals: " + a.text());
    }

    static JsonObject Json(String text) {
        try (var r = jakarta.json.Json.createReader(new java.io.StringReader(text))) {
            return r.readObject();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
