package com.imageretrieval.bench;

import com.imageretrieval.config.OpenSearchSettings;
import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexWriter;
import com.imageretrieval.index.VectorMatrix;
import com.imageretrieval.index.opensearch.ImageIds;
import com.imageretrieval.index.opensearch.OpenSearchIndex;
import com.imageretrieval.it.OpenSearchCluster;
import com.imageretrieval.testing.TestModels;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * OpenSearch k-NN benchmark (issue 11): N synthetic 2048-d unit vectors written into a real two-node OpenSearch
 * 2.19 + k-NN cluster through the product's own write path ({@link OpenSearchIndex#beginWrite}: bulk requests, then
 * refresh and the alias switch), then "more like this" queries through the product's HTTP API
 * ({@code GET /api/images/{id}/similar?topK=10}) on Payara Micro in {@code INDEX_BACKEND=opensearch} mode, with
 * recall@10 against the exact scan of the same vectors ({@link VectorMatrix#topK}) in this process.
 *
 * <p>Also times the same k-NN query sent straight to OpenSearch (the body the product sends), so the table splits
 * the API's latency into the engine's part and the app's (two document reads, JSON of 2048 floats each way). With
 * {@code --force-merge} the index is then merged to one segment and the queries are timed again: the product does not
 * force-merge, and the difference says what segment count costs.
 *
 * <p>The vectors come from {@link SyntheticVectors} (clustered like class features; uniform random 2048-d vectors
 * would all be near-orthogonal and recall meaningless). The app loads a tiny 2048-d model
 * ({@link TestModels#projectionModel}) only because it refuses an index made by another model: the bench writes the
 * index with that model's hash. Similar-by-id never runs the model.
 *
 * <p>Needs the system properties of {@link OpenSearchCluster} (it.opensearch.zip, ...), it.payara.jar and it.war;
 * bench/run.sh --steps opensearch sets them. Usage:
 * {@code OpenSearchBench [--rows 100000] [--queries 300] [--warmup 30] [--node-heap 2g] [--replicas 1]
 * [--shards 1] [--m 16] [--ef-construction 128] [--ef-search 100] [--force-merge] [--index-threads N]}.
 * Prints readable lines, one {@code OPENSEARCH {json}} line per query phase, and a Markdown table.
 */
public final class OpenSearchBench {

    private static final int DIM = 2048;
    private static final int K = 10;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private int rows = 100_000;
    private int queries = 300;
    private int warmup = 30;
    private int shards = 1;
    private int replicas = 1;
    private int m = 16;
    private int efConstruction = 128;
    private int efSearch = 100;
    private boolean forceMerge;
    /** The cluster's knn.algo_param.index_thread_qty (threads per HNSW graph build); 0: OpenSearch's default. */
    private int indexThreads;
    private final List<String> table = new ArrayList<>();
    private SyntheticVectors gen;

    private OpenSearchBench() {
    }

    public static void main(String[] args) throws Exception {
        OpenSearchBench b = new OpenSearchBench();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rows" -> b.rows = Integer.parseInt(args[++i]);
                case "--queries" -> b.queries = Integer.parseInt(args[++i]);
                case "--warmup" -> b.warmup = Integer.parseInt(args[++i]);
                case "--shards" -> b.shards = Integer.parseInt(args[++i]);
                case "--replicas" -> b.replicas = Integer.parseInt(args[++i]);
                case "--m" -> b.m = Integer.parseInt(args[++i]);
                case "--ef-construction" -> b.efConstruction = Integer.parseInt(args[++i]);
                case "--ef-search" -> b.efSearch = Integer.parseInt(args[++i]);
                case "--force-merge" -> b.forceMerge = true;
                case "--index-threads" -> b.indexThreads = Integer.parseInt(args[++i]);
                case "--node-heap" -> System.setProperty("it.opensearch.heap", args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Path work = Path.of(System.getProperty("it.work", "target/bench/it")).toAbsolutePath();
        Files.createDirectories(work);
        String heap = System.getProperty("it.opensearch.heap", "512m");
        say("OpenSearch k-NN bench: %,d x %d vectors, %d queries, shards=%d replicas=%d m=%d ef_construction=%d"
                + " ef_search=%d, node heap %s, load %s", rows, DIM, queries, shards, replicas, m, efConstruction,
                efSearch, heap, load());

        long t0 = System.nanoTime();
        gen = SyntheticVectors.forRows(rows, 42);
        VectorMatrix matrix = new VectorMatrix(gen.matrix(rows), rows, DIM);
        Map<Long, Integer> rowOfId = new HashMap<>(rows * 2);
        for (int r = 0; r < rows; r++) {
            if (rowOfId.put(ImageIds.of(path(gen, r)), r) != null) {
                throw new IllegalStateException("two synthetic paths share an id at row " + r);
            }
        }
        say("generated the vectors in %.1f s", secs(t0));

        Path model = TestModels.projectionModel(work.resolve("projection-2048.onnx"), DIM, 7);
        String modelHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(model)));

        t0 = System.nanoTime();
        try (OpenSearchCluster cluster = OpenSearchCluster.start("bench", 2)) {
            say("cluster of 2 nodes up in %.1f s at %s", secs(t0), cluster.httpUrls());
            if (indexThreads > 0) {
                // An operator's cluster setting, not the product's: the product never changes cluster settings.
                OpenSearchCluster.Response r = send(cluster.httpUrl(0), "PUT", "/_cluster/settings",
                        "{\"persistent\":{\"knn.algo_param.index_thread_qty\":" + indexThreads + "}}",
                        Duration.ofSeconds(30));
                say("knn.algo_param.index_thread_qty=%d: HTTP %d %s", indexThreads, r.status(), r.body());
                table.add("| cluster setting knn.algo_param.index_thread_qty | " + indexThreads + " |");
            }
            OpenSearchSettings settings = new OpenSearchSettings(cluster.httpUrls().stream().map(URI::create).toList(),
                    "bench", shards, replicas, null, null, null, null, m, efConstruction, efSearch, 60,
                    // A bulk request of 256 x 2048-d vectors builds HNSW graph on the node as it is indexed: on a
                    // loaded machine one takes seconds, more than the product's default 10 s at times.
                    120);
            ingest(cluster, settings, gen, matrix, modelHash);
            describeIndex(cluster, work, "after ingest");

            try (Payara payara = Payara.start(work.resolve("payara"), cluster, modelHash, model, efSearch)) {
                List<Integer> sample = sample();
                query("as built", payara, cluster, matrix, sample, rowOfId);
                if (forceMerge) {
                    t0 = System.nanoTime();
                    OpenSearchCluster.Response r = send(cluster.httpUrl(0), "POST",
                            "/bench/_forcemerge?max_num_segments=1", null, Duration.ofHours(2));
                    double mergeS = secs(t0);
                    say("force-merge to 1 segment: HTTP %d in %.1f s", r.status(), mergeS);
                    table.add(String.format(Locale.ROOT, "| force-merge to 1 segment (not done by the product) | %.0f s"
                            + " |", mergeS));
                    describeIndex(cluster, work, "after force-merge");
                    query("force-merged", payara, cluster, matrix, sample, rowOfId);
                }
            }
        }
        say("load at the end: %s", load());
        System.out.println();
        System.out.println("| OpenSearch k-NN, " + String.format(Locale.ROOT, "%,d", rows) + " x 2048 | value |");
        System.out.println("|---|---|");
        table.forEach(System.out::println);
    }

    /** Query rows spread over the whole index, the same for every phase. */
    private List<Integer> sample() {
        List<Integer> s = new ArrayList<>();
        int n = Math.min(queries + warmup, rows);
        for (int i = 0; i < n; i++) {
            s.add((int) ((long) i * rows / n + 7) % rows);
        }
        return s;
    }

    static String path(SyntheticVectors gen, int row) {
        return String.format(Locale.ROOT, "c%05d/img-%07d.jpg", gen.cluster(row), row);
    }

    /** Writes every vector through the product's writer (bulk of 256) and commits (refresh + alias). */
    private void ingest(OpenSearchCluster cluster, OpenSearchSettings settings, SyntheticVectors gen,
                        VectorMatrix matrix, String modelHash) throws Exception {
        OpenSearchIndex index = OpenSearchIndex.open(settings);
        long t0 = System.nanoTime();
        long commitNs;
        try (IndexWriter w = index.beginWrite(modelHash, DIM)) {
            long last = t0;
            for (int r = 0; r < rows; r++) {
                String p = path(gen, r);
                w.insert(new ImageRecord(0, p, p.substring(0, p.indexOf('/')), 40_000 + r, 1_700_000_000_000L + r,
                        "", 500, 375), matrix.row(r), modelHash);
                if (System.nanoTime() - last > 30e9) {
                    last = System.nanoTime();
                    say("  %,d / %,d written, %.0f vectors/s, load %s", r + 1, rows, (r + 1) / secs(t0), load());
                }
            }
            long c0 = System.nanoTime();
            w.commit(new IndexMetadata("projection-2048", modelHash, DIM, "cpu", Instant.now(), rows));
            commitNs = System.nanoTime() - c0;
        }
        double total = secs(t0);
        double bulkS = total - commitNs / 1e9;
        OpenSearchCluster.Response count = cluster.request("GET", "/bench/_count");
        int docs = json(count.body()).getJsonNumber("count").intValue();
        if (docs != rows) {
            throw new IllegalStateException("the index holds " + docs + " documents, expected " + rows);
        }
        say("ingest: %,d vectors in %.1f s of bulk requests (%.0f vectors/s), then %.1f s until searchable (commit:"
                + " refresh + metadata + alias), %.0f vectors/s overall; _count = %,d; load %s", rows, bulkS,
                rows / bulkS, commitNs / 1e9, rows / total, docs, load());
        System.out.printf(Locale.ROOT, "OPENSEARCHINGEST {\"rows\":%d,\"bulk_s\":%.1f,\"vectors_per_s\":%.0f,"
                + "\"searchable_after_s\":%.1f,\"overall_vectors_per_s\":%.0f,\"replicas\":%d,\"shards\":%d,"
                + "\"loadavg\":\"%s\"}%n", rows, bulkS, rows / bulkS, commitNs / 1e9, rows / total, replicas, shards,
                load());
        table.add(String.format(Locale.ROOT, "| ingest through the product's writer (bulk 256, %d shard, %d replica)"
                + " | %.0f vectors/s (%.0f s) |", shards, replicas, rows / bulkS, bulkS));
        table.add(String.format(Locale.ROOT, "| from the last bulk to searchable (refresh, metadata, alias) | %.1f s |",
                commitNs / 1e9));
    }

    /** Segments, size on disk per copy and per vector, and the Lucene file types that make it up. */
    private void describeIndex(OpenSearchCluster cluster, Path work, String when) throws Exception {
        JsonArray idx = Json.createReader(new StringReader(cluster.request("GET",
                "/_cat/indices/bench?format=json&bytes=b&h=index,docs.count,store.size,pri.store.size").body()))
                .readArray();
        JsonObject i = idx.getJsonObject(0);
        long pri = Long.parseLong(i.getString("pri.store.size"));
        long all = Long.parseLong(i.getString("store.size"));
        JsonArray segs = Json.createReader(new StringReader(cluster.request("GET",
                "/_cat/segments/bench?format=json&h=shard,prirep,segment,docs.count,size").body())).readArray();
        long primarySegments = segs.stream().filter(s -> s.asJsonObject().getString("prirep").startsWith("p"))
                .count();
        // Lucene files by type over both nodes' data folders, divided by the copies (primary + replicas).
        Map<String, Long> byType = new TreeMap<>();
        Path data = work.resolve("opensearch").resolve("bench");
        try (Stream<Path> files = Files.walk(data)) {
            files.filter(Files::isRegularFile).filter(p -> p.toString().contains("/indices/"))
                    .filter(p -> p.getParent().getFileName().toString().equals("index"))
                    .forEach(p -> {
                        String n = p.getFileName().toString();
                        String ext = n.contains(".") ? n.substring(n.lastIndexOf('.') + 1) : n;
                        try {
                            byType.merge(ext, Files.size(p), Long::sum);
                        } catch (IOException gone) {
                            // merged away meanwhile
                        }
                    });
        }
        StringBuilder types = new StringBuilder();
        int copies = 1 + replicas;
        byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(6)
                .forEach(e -> types.append(String.format(Locale.ROOT, "%s %.0f MB, ", e.getKey(),
                        e.getValue() / copies / 1e6)));
        say("index %s: %s docs, primary store %.0f MB (%.0f bytes/vector; raw float32 is %d), all copies %.0f MB,"
                + " %d primary segments; per copy by Lucene file type: %s(vec = raw vectors, vex = HNSW graph,"
                + " fdt = stored _source, cfs = small segments' compound files)", when, i.getString("docs.count"),
                pri / 1e6, (double) pri / rows, DIM * 4, all / 1e6, primarySegments, types);
        System.out.printf(Locale.ROOT, "OPENSEARCHINDEX {\"when\":\"%s\",\"primary_bytes\":%d,\"all_bytes\":%d,"
                + "\"bytes_per_vector\":%.0f,\"primary_segments\":%d,\"types\":\"%s\"}%n", when, pri, all,
                (double) pri / rows, primarySegments, types.toString().trim());
        table.add(String.format(Locale.ROOT, "| index %s: primary size on disk / segments | %.0f MB (%.1f KB per"
                + " vector; raw float32 8.2 KB) / %d |", when, pri / 1e6, pri / 1e3 / rows, primarySegments));
        table.add(String.format(Locale.ROOT, "| index %s: per copy by Lucene file | %s|", when, types));
    }

    /** Times the API and the bare k-NN query for the sample rows; recall@10 of the API against the exact scan. */
    private void query(String phase, Payara payara, OpenSearchCluster cluster, VectorMatrix matrix,
                       List<Integer> sample, Map<Long, Integer> rowOfId) throws Exception {
        List<Double> api = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> took = new ArrayList<>();
        double recallSum = 0;
        int measured = 0;
        for (int i = 0; i < sample.size(); i++) {
            int row = sample.get(i);
            long id = ImageIds.of(path(gen, row));
            long t0 = System.nanoTime();
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(payara.base.resolve("/api/images/" + id
                    + "/similar?topK=" + K)).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET similar of row " + row + " answered " + r.statusCode() + ": "
                        + r.body());
            }
            // The same k-NN body the product sends (OpenSearchView.knn), straight to a node.
            String body = knnBody(matrix.row(row), id);
            long d0 = System.nanoTime();
            OpenSearchCluster.Response dr = cluster.request(i % 2, "POST", "/bench/_search", body);
            double dms = (System.nanoTime() - d0) / 1e6;
            if (!dr.ok()) {
                throw new IllegalStateException("direct k-NN search answered " + dr.status() + ": " + dr.body());
            }
            if (i < warmup) {
                continue;
            }
            api.add(ms);
            direct.add(dms);
            took.add((double) json(dr.body()).getInt("took"));
            Set<Integer> got = new HashSet<>();
            for (JsonValue hit : json(r.body()).getJsonArray("results")) {
                got.add(rowOfId.get(hit.asJsonObject().getJsonNumber("id").longValue()));
            }
            int hitsExact = 0;
            for (VectorMatrix.Scored s : matrix.topK(matrix.row(row), K, j -> j != row, Float.NEGATIVE_INFINITY)) {
                if (got.contains(s.row())) {
                    hitsExact++;
                }
            }
            recallSum += hitsExact / (double) K;
            measured++;
        }
        double recall = recallSum / measured;
        say("%s: %d queries (after %d warm-up): API GET /api/images/{id}/similar?topK=10 p50 %.1f ms, p95 %.1f ms;"
                + " same k-NN body straight to OpenSearch p50 %.1f ms, p95 %.1f ms (OpenSearch 'took' p50 %.0f ms);"
                + " recall@10 vs exact %.3f; load %s", phase, measured, warmup, pct(api, 50), pct(api, 95),
                pct(direct, 50), pct(direct, 95), pct(took, 50), recall, load());
        System.out.printf(Locale.ROOT, "OPENSEARCH {\"phase\":\"%s\",\"rows\":%d,\"queries\":%d,\"api_p50_ms\":%.1f,"
                + "\"api_p95_ms\":%.1f,\"direct_p50_ms\":%.1f,\"direct_p95_ms\":%.1f,\"took_p50_ms\":%.0f,"
                + "\"recall_at_10\":%.4f,\"ef_search\":%d,\"loadavg\":\"%s\"}%n", phase, rows, measured, pct(api, 50),
                pct(api, 95), pct(direct, 50), pct(direct, 95), pct(took, 50), recall, efSearch, load());
        table.add(String.format(Locale.ROOT, "| %s: API similar-by-id topK=10, p50 / p95 (target p50 <= 20 ms) |"
                + " %.1f / %.1f ms |", phase, pct(api, 50), pct(api, 95)));
        table.add(String.format(Locale.ROOT, "| %s: same k-NN query straight to OpenSearch, p50 / p95 (engine 'took'"
                + " p50) | %.1f / %.1f ms (%.0f ms) |", phase, pct(direct, 50), pct(direct, 95), pct(took, 50)));
        table.add(String.format(Locale.ROOT, "| %s: recall@10 of the API vs exact scan, ef_search=%d (target >="
                + " 0.95) | %.3f |", phase, efSearch, recall));
    }

    private String knnBody(float[] q, long excluded) {
        JsonArrayBuilder v = OpenSearchIndex.vectorJson(q); // the product's encoding of the query vector
        return Json.createObjectBuilder().add("size", K)
                .add("_source", Json.createObjectBuilder().add("excludes", Json.createArrayBuilder().add("vector")))
                .add("query", Json.createObjectBuilder().add("knn", Json.createObjectBuilder().add("vector",
                        Json.createObjectBuilder().add("vector", v).add("k", K)
                                .add("method_parameters", Json.createObjectBuilder().add("ef_search",
                                        Math.max(K, efSearch)))
                                .add("filter", Json.createObjectBuilder().add("bool", Json.createObjectBuilder()
                                        .add("must_not", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                                .add("ids", Json.createObjectBuilder().add("values",
                                                        Json.createArrayBuilder().add(Long.toString(excluded)))))))))))
                .build().toString();
    }

    private static OpenSearchCluster.Response send(String base, String method, String path, String body,
                                                   Duration timeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new OpenSearchCluster.Response(r.statusCode(), r.body());
    }

    static JsonObject json(String s) {
        try (JsonReader r = Json.createReader(new StringReader(s))) {
            return r.readObject();
        }
    }

    static double pct(List<Double> values, int p) {
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        return s.isEmpty() ? Double.NaN : s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    /**
     * Payara Micro with the product's WAR in opensearch mode, as a child process; stopped with its process tree on
     * close and, should this JVM die first, by a shutdown hook.
     */
    static final class Payara implements AutoCloseable {
        final Process process;
        final URI base;
        private final Thread hook;

        private Payara(Process process, URI base) {
            this.process = process;
            this.base = base;
            this.hook = new Thread(this::stop, "stop payara");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        static Payara start(Path dir, OpenSearchCluster cluster, String modelHash, Path model, int efSearch)
                throws Exception {
            // A fresh root folder: Payara Micro redeploys what an earlier run left there, then --deploy again, and
            // answers 503 in between.
            Path root = dir.resolve("root");
            if (Files.exists(root)) {
                try (Stream<Path> old = Files.walk(root)) {
                    for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path war = Path.of(required("it.war"));
            Path jar = Path.of(required("it.payara.jar"));
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g", "-Djava.awt.headless=true", "--add-modules",
                    "jdk.incubator.vector", "-jar", jar.toString(), "--deploy", war.toString(), "--contextroot", "/",
                    "--port", Integer.toString(port), "--nocluster", "--rootdir", dir.resolve("root").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("payara.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("INDEX_BACKEND", "opensearch");
            env.put("OPENSEARCH_URL", String.join(",", cluster.httpUrls()));
            env.put("OPENSEARCH_INDEX", "bench");
            env.put("OPENSEARCH_EF_SEARCH", Integer.toString(efSearch));
            env.put("MODEL_PATH", model.toString());
            // No dataset: nothing to build (and a build of an empty folder is refused), similar-by-id needs none.
            env.put("DATASET_DIR", dir.resolve("no-dataset").toString());
            env.put("ARTIFACTS_DIR", dir.resolve("artifacts").toString());
            env.put("REINDEX_SCHEDULE", "off");
            env.put("AUTO_DOWNLOAD", "false");
            long t0 = System.nanoTime();
            Payara p = new Payara(pb.start(), URI.create("http://127.0.0.1:" + port));
            try {
                p.awaitReady(Duration.ofMinutes(6));
            } catch (Exception | Error e) {
                p.close();
                throw e;
            }
            say("Payara Micro up with the index in %.1f s at %s (model %s...)", secs(t0), p.base,
                    modelHash.substring(0, 12));
            return p;
        }

        private void awaitReady(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Payara exited with " + process.exitValue());
                }
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/health"))
                            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                    last = r.statusCode() + " " + r.body();
                    if (r.statusCode() == 200 && json(r.body()).getBoolean("indexReady", false)) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException("Payara did not report indexReady within " + timeout + "; last health: "
                    + last);
        }

        private void stop() {
            List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
            tree.add(process.toHandle());
            tree.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
        }

        @Override
        public void close() {
            stop();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }

        private static String required(String property) {
            String v = System.getProperty(property);
            if (v == null || !Files.exists(Path.of(v))) {
                throw new IllegalStateException("system property " + property + " must name an existing file (got "
                        + v + "): run through bench/run.sh --steps opensearch");
            }
            return v;
        }
    }
}
