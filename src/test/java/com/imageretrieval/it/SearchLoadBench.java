package com.imageretrieval.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.TestModels;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Load test of POST /api/search on loopback (issue 5), not part of the normal test run (its name matches no
 * Failsafe pattern). Run it with
 * <pre>mvn -o -B verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=SearchLoadBench</pre>
 * It starts Payara Micro with the WAR, a generated dataset (60 JPEGs, 1024x768) and a generated ResNet-50 with random
 * weights (the real topology, so inference costs what the real model costs), waits for the index, then runs two
 * phases, each bounded in time and request count: N clients below the gate's capacity (running + queued/2: expect no
 * error at all) and 4x that (expect 200s and 503 "overloaded" only). It prints throughput, p50/p95/p99, answers by
 * status and the server's RSS before and after each phase, and writes them to target/loadtest.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchLoadBench {

    static final int RUNNING = Integer.getInteger("load.running", 2);
    static final int QUEUED = Integer.getInteger("load.queued", 6);
    static final int REQUESTS = Integer.getInteger("load.requests", 600);
    static final Duration PHASE_LIMIT = Duration.ofSeconds(Integer.getInteger("load.seconds", 90));
    /** The overload phase runs for this long (refusals are fast: a request cap alone would end it in a second). */
    static final Duration OVERLOAD_TIME = Duration.ofSeconds(Integer.getInteger("load.overloadSeconds", 30));
    static final int OVERLOAD_REQUESTS = Integer.getInteger("load.overloadRequests", 20_000);

    ServerProcess server;
    Http http;
    final List<byte[]> queries = new ArrayList<>();
    final List<String> report = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Path work = Path.of(System.getProperty("it.work", "target/it")).resolve(getClass().getSimpleName());
        ApiContractIT.deleteTree(work);
        Path dataset = work.resolve("dataset");
        ItDataset.generate(dataset, 7);
        Path model = TestModels.resnet50Random(work.resolve("models/resnet50-random.onnx"), 11L);
        try (Stream<Path> s = Files.walk(dataset)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".jpg")).sorted().toList()) {
                queries.add(Files.readAllBytes(p));
            }
        }
        server = new PayaraServer(work);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATASET_DIR", dataset.toAbsolutePath().toString());
        env.put("MODEL_PATH", model.toAbsolutePath().toString());
        env.put("ARTIFACTS_DIR", work.resolve("artifacts").toAbsolutePath().toString());
        env.put("REINDEX_SCHEDULE", "off");
        env.put("MAX_CONCURRENT_SEARCHES", Integer.toString(RUNNING));
        env.put("MAX_QUEUED_SEARCHES", Integer.toString(QUEUED));
        server.start(env, Duration.ofMinutes(4));
        http = new Http(server.base());
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        JsonObject h;
        do {
            h = http.get("/api/health").json();
            if ("ok".equals(h.getString("status", ""))) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        assertEquals("ok", h.getString("status", ""), h.toString());
        // Warm up (JIT, ONNX session) outside the measured phases.
        for (int i = 0; i < 4; i++) {
            ApiContractIT.ok(search(queries.get(i)));
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        Path out = Path.of("target", "loadtest.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report);
        report.forEach(System.out::println);
    }

    @Test
    @Order(1)
    void belowCapacityEverySearchSucceeds() throws Exception {
        // Fewer clients than admission places: a client's next request can never meet its previous one still
        // holding a place (the place is released just after the answer is written).
        Result r = phase("below capacity", RUNNING + QUEUED / 2, REQUESTS, PHASE_LIMIT);
        assertEquals(Map.of(200, r.total()), r.byStatus, "below capacity no request may fail: " + r.byStatus);
    }

    @Test
    @Order(2)
    void aboveCapacityTheOnlyErrorIs503() throws Exception {
        // The clients retry at once, ignoring Retry-After: the worst case for the server.
        Result r = phase("4x capacity", 4 * (RUNNING + QUEUED), OVERLOAD_REQUESTS, OVERLOAD_TIME);
        for (int status : r.byStatus.keySet()) {
            assertTrue(status == 200 || status == 503, "unexpected status " + status + ": " + r.byStatus);
        }
        assertTrue(r.byStatus.getOrDefault(200, 0) > 0, "some searches must still be served: " + r.byStatus);
        assertTrue(r.badBodies.isEmpty(), "503 without the overloaded error or Retry-After: " + r.badBodies);
    }

    record Result(Map<Integer, Integer> byStatus, List<String> badBodies) {
        int total() {
            return byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private Result phase(String name, int clients, int maxRequests, Duration limit) throws Exception {
        System.gc();
        long rssBefore = server.rssMiB();
        AtomicInteger issued = new AtomicInteger();
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>(); // {status, micros}
        Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> badBodies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + limit.toNanos();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                int n;
                while (System.nanoTime() < end && (n = issued.getAndIncrement()) < maxRequests) {
                    long s = System.nanoTime();
                    int status;
                    try {
                        Http.Answer a = search(queries.get(n % queries.size()));
                        status = a.status();
                        if (status == 503 && (!a.text().contains("\"overloaded\"") || a.header("Retry-After").isEmpty())) {
                            badBodies.add(a.abbreviated());
                        }
                    } catch (IOException e) {
                        status = -1; // connection error
                    } catch (InterruptedException e) {
                        return;
                    }
                    samples.add(new long[] {status, (System.nanoTime() - s) / 1000});
                    byStatus.computeIfAbsent(status, k -> new LongAdder()).increment();
                }
            }, "load client " + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long rssAfter = server.rssMiB();
        long[] all = samples.stream().mapToLong(x -> x[1]).sorted().toArray();
        long[] ok = samples.stream().filter(x -> x[0] == 200).mapToLong(x -> x[1]).sorted().toArray();
        Map<Integer, Integer> counts = new TreeMap<>();
        byStatus.forEach((k, v) -> counts.put(k, v.intValue()));
        report.add(String.format("%s: %d clients, %d requests in %.1f s, %.1f searches/s answered 200; latency of 200s "
                        + "p50 %s p95 %s p99 %s; all answers p50 %s p99 %s; by status %s; server RSS %d MiB before, "
                        + "%d MiB after (MAX_CONCURRENT_SEARCHES=%d, MAX_QUEUED_SEARCHES=%d, ResNet-50 random, Payara "
                        + "Micro, %d CPUs)", name, clients, all.length, seconds, ok.length / seconds, ms(ok, 50),
                ms(ok, 95), ms(ok, 99), ms(all, 50), ms(all, 99), counts, rssBefore, rssAfter, RUNNING, QUEUED,
                Runtime.getRuntime().availableProcessors()));
        return new Result(counts, List.copyOf(badBodies));
    }

    private static String ms(long[] sortedMicros, int percentile) {
        if (sortedMicros.length == 0) {
            return "-";
        }
        int i = (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1;
        return String.format("%.0f ms", sortedMicros[Math.max(0, Math.min(i, sortedMicros.length - 1))] / 1000.0);
    }

    private Http.Answer search(byte[] jpeg) throws IOException, InterruptedException {
        return http.multipart("/api/search", List.of(Http.Part.file("image", "q.jpg", "image/jpeg", jpeg),
                Http.Part.field("topK", "5")));
    }

}
