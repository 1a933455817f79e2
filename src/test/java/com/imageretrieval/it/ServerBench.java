package com.imageretrieval.it;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.imageretrieval.features.ImageNetPreprocessor;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Issue 13, targets 1, 3 and 4, on a real application server (bench/run.sh runs it for Payara Micro and WildFly;
 * not a JUnit test). For each server, on an index that already exists (built beforehand, e.g. by the CLI):
 * <ol>
 *   <li><b>start-up</b>: from launching the server process to the first /api/health answer, and to
 *       {@code indexReady=true};</li>
 *   <li><b>sequential search</b>: POST /api/search (one JPEG, top 10) one at a time, in blocks interleaved with blocks
 *       of ONE batch-1 inference of the same model with ONNX Runtime alone in this JVM (same session options as the
 *       product, the product's own preprocessed tensor), so both see the same machine load: p50 and p95 of each and
 *       the ratios;</li>
 *   <li><b>eight concurrent clients</b> for a fixed time: searches/s, errors, p95, against the batch-1 throughput of
 *       ONNX Runtime alone measured right before and after;</li>
 *   <li>the server's own stage histograms from /api/metrics (mean ms per stage), to show where the time goes.</li>
 * </ol>
 * Output: {@code SERVER {json}} lines for BenchReport, plus readable lines.
 *
 * <p>Arguments: {@code --server payara|wildfly --model FILE --images DIR --artifacts DIR [--rounds N] [--block N]
 * [--clients N] [--seconds S] [--work DIR] [--env NAME=VALUE,...]}. System properties as for the ITs: it.war, it.payara.jar,
 * it.wildfly.home.
 */
public final class ServerBench {

    private static final String TOKEN = "bench-" + Long.toHexString(System.nanoTime());

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String which = a.getOrDefault("server", "payara");
        Path model = Path.of(a.get("model")).toAbsolutePath();
        Path images = Path.of(a.get("images")).toAbsolutePath();
        Path artifacts = Path.of(a.get("artifacts")).toAbsolutePath();
        Path work = Path.of(a.getOrDefault("work", "target/bench/server")).toAbsolutePath().resolve(which);
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "8"));
        int block = Integer.parseInt(a.getOrDefault("block", "25"));
        int clients = Integer.parseInt(a.getOrDefault("clients", "8"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "30"));

        List<Path> files;
        try (Stream<Path> s = Files.walk(images)) {
            files = s.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(16).toList();
        }
        List<byte[]> bodies = new ArrayList<>();
        String boundary = "----bench" + Long.toHexString(System.nanoTime());
        for (Path f : files) {
            bodies.add(multipart(boundary, Files.readAllBytes(f)));
        }
        // The product's preprocessing of the first query: ORT alone runs exactly what a search runs.
        float[] tensor = new ImageNetPreprocessor(ImageNetPreprocessor.DEFAULT_RESIZE, ImageNetPreprocessor.DEFAULT_CROP)
                .apply(ImageIO.read(files.get(0).toFile()));

        try (Ort ort = new Ort(model, tensor);
             ServerProcess server = which.equals("wildfly") ? new WildFlyServer(work) : new PayaraServer(work)) {
            ort.times(10); // warm
            Map<String, String> env = new LinkedHashMap<>();
            env.put("DATASET_DIR", images.toString());
            env.put("MODEL_PATH", model.toString());
            env.put("ARTIFACTS_DIR", artifacts.toString());
            env.put("ADMIN_TOKEN", TOKEN);
            env.put("REINDEX_SCHEDULE", "off");
            // --env NAME=VALUE,NAME=VALUE: product settings to try (e.g. MAX_CONCURRENT_SEARCHES=3)
            for (String kv : a.getOrDefault("env", "").split(",")) {
                if (kv.contains("=")) {
                    env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            long t0 = System.nanoTime();
            server.start(env, Duration.ofMinutes(6));
            double healthMs = (System.nanoTime() - t0) / 1e6;
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI base = server.base();
            JsonObject health;
            do {
                health = json(client.send(HttpRequest.newBuilder(base.resolve("api/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                if (!health.getBoolean("indexReady")) {
                    Thread.sleep(20);
                }
            } while (!health.getBoolean("indexReady") && System.nanoTime() - t0 < Duration.ofMinutes(10).toNanos());
            double readyMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "%s: launch -> health 200 in %.0f ms, -> indexReady (%d images) in %.0f ms,"
                    + " RSS %d MiB%n", which, healthMs, health.getInt("images"), readyMs, server.rssMiB());

            Searcher searcher = new Searcher(base, base.getPath() + "api/search?topK=10", boundary, bodies);
            searcher.times(20); // warm-up: JIT, first-use class loading, pools

            // 2. Sequential: blocks of searches interleaved with blocks of ORT-alone inferences.
            String metricsBefore = metrics(client, base);
            List<Double> searchMs = new ArrayList<>();
            List<Double> ortMs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                searchMs.addAll(searcher.times(block));
                ortMs.addAll(ort.times(block));
            }
            double s50 = pct(searchMs, 50);
            double s95 = pct(searchMs, 95);
            double o50 = pct(ortMs, 50);
            double o95 = pct(ortMs, 95);
            System.out.printf(Locale.ROOT, "%s: POST /api/search p50 %.1f ms p95 %.1f ms; ORT alone batch 1 p50 %.1f ms"
                    + " p95 %.1f ms -> %.2f x, p95/p50 %.2f (ORT alone's own %.2f) (%d searches)%n", which, s50, s95,
                    o50, o95, s50 / o50, s95 / s50, o95 / o50, searchMs.size());

            String metricsSequential = metrics(client, base);
            String stages = stageMeans(metricsBefore, metricsSequential);
            System.out.printf(Locale.ROOT, "%s: server-side mean ms per sequential search: %s%n", which, stages);

            // 3. Concurrent clients against the batch-1 throughput of ORT alone (measured before and after).
            double ortBefore = ort.throughput(Duration.ofSeconds(Math.max(3, seconds / 4)));
            long serverCpu0 = server.cpuNanos();
            long clientCpu0 = ownCpuNanos();
            Load load = searcher.concurrent(clients, Duration.ofSeconds(seconds));
            double serverCpuMs = (server.cpuNanos() - serverCpu0) / 1e6 / Math.max(1, load.ok + load.errors);
            double clientCpuMs = (ownCpuNanos() - clientCpu0) / 1e6 / Math.max(1, load.ok + load.errors);
            double ortAfter = ort.throughput(Duration.ofSeconds(Math.max(3, seconds / 4)));
            double ortRate = (ortBefore + ortAfter) / 2;
            System.out.printf(Locale.ROOT, "%s: %d clients: %.2f searches/s (%d ok, %d errors %s), p50 %.1f p95 %.1f ms;"
                    + " ORT alone batch 1: %.2f/s (before %.2f, after %.2f) -> %.3f x%n", which, clients, load.rate(),
                    load.ok, load.errors, load.statuses, load.p50, load.p95, ortRate, ortBefore, ortAfter,
                    load.rate() / ortRate);
            // On a CPU-bound machine searches/s = cores / (CPU per search), so the ratio to ORT alone cannot exceed
            // the model's own CPU per inference (cores / its rate) over everything a search costs on this machine.
            int cores = Runtime.getRuntime().availableProcessors();
            double modelCpuMs = 1000.0 * cores / ortRate;
            System.out.printf(Locale.ROOT, "%s: CPU per concurrent search: server %.1f ms, clients %.1f ms; ORT alone"
                    + " %.1f ms per inference (%d cores / its rate) -> CPU-bound ceiling of the ratio %.3f%n", which,
                    serverCpuMs, clientCpuMs, modelCpuMs, cores, modelCpuMs / (serverCpuMs + clientCpuMs));

            // 4. Where the time went under load, by the server's own histograms (decode includes the gate wait).
            String concurrentStages = stageMeans(metricsSequential, metrics(client, base));
            System.out.printf(Locale.ROOT, "%s: server-side mean ms per concurrent search: %s; RSS after the load %d MiB%n",
                    which, concurrentStages, server.rssMiB());
            System.out.printf(Locale.ROOT, "SERVER {\"server\":\"%s\",\"health_ms\":%.0f,\"ready_ms\":%.0f,"
                    + "\"images\":%d,\"search_p50_ms\":%.2f,\"search_p95_ms\":%.2f,\"ort_b1_p50_ms\":%.2f,"
                    + "\"ort_b1_p95_ms\":%.2f,"
                    + "\"searches\":%d,\"clients\":%d,\"concurrent_per_s\":%.3f,\"concurrent_ok\":%d,"
                    + "\"concurrent_errors\":%d,\"concurrent_p50_ms\":%.1f,\"concurrent_p95_ms\":%.1f,"
                    + "\"ort_b1_per_s\":%.3f,\"stages_ms\":\"%s\",\"concurrent_stages_ms\":\"%s\","
                    + "\"server_cpu_ms\":%.2f,\"client_cpu_ms\":%.2f,\"model_cpu_ms\":%.2f}%n", which,
                    healthMs, readyMs, health.getInt("images"), s50, s95, o50, o95, searchMs.size(), clients,
                    load.rate(), load.ok, load.errors, load.p50, load.p95, ortRate, stages, concurrentStages, serverCpuMs,
                    clientCpuMs, modelCpuMs);
        }
    }

    /** CPU time of this JVM (the clients, during the concurrent phase). */
    static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String metrics(HttpClient client, URI base) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(base.resolve("api/metrics")).header("Authorization", "Bearer "
                + TOKEN).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Mean ms per stage (and in all) of the searches between two scrapes. */
    static String stageMeans(String before, String after) {
        StringBuilder sb = new StringBuilder();
        for (String stage : List.of("upload", "decode", "preprocess", "inference", "scan", "total")) {
            String sum = stage.equals("total") ? "imageretrieval_search_seconds_sum"
                    : "imageretrieval_search_stage_seconds_sum{stage=\"" + stage + "\"}";
            String count = stage.equals("total") ? "imageretrieval_search_seconds_count"
                    : "imageretrieval_search_stage_seconds_count{stage=\"" + stage + "\"}";
            double ms = 1000 * (sample(after, sum) - sample(before, sum)) / (sample(after, count)
                    - sample(before, count));
            sb.append(sb.length() == 0 ? "" : ", ").append(stage).append(' ')
                    .append(String.format(Locale.ROOT, "%.2f", ms));
        }
        return sb.toString();
    }

    static byte[] multipart(String boundary, byte[] jpeg) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + 256);
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(jpeg);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static double pct(List<Double> values, int p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v[Math.min(v.length - 1, (int) Math.ceil(p / 100.0 * v.length) - 1)];
    }

    static JsonObject json(String text) {
        try (var r = Json.createReader(new StringReader(text))) {
            return r.readObject();
        }
    }

    static double sample(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /** Sequential and concurrent POST /api/search, over kept-alive sockets ({@link KeepAliveClient}). */
    static final class Searcher {
        private final URI base;
        private final String path;
        private final String contentType;
        private final List<byte[]> bodies;
        private final KeepAliveClient sequential;
        private int next;

        Searcher(URI base, String path, String boundary, List<byte[]> bodies) {
            this.base = base;
            this.path = path;
            this.contentType = "multipart/form-data; boundary=" + boundary;
            this.bodies = bodies;
            this.sequential = new KeepAliveClient(base);
        }

        List<Double> times(int n) throws IOException {
            List<Double> ms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] body = bodies.get(next++ % bodies.size());
                long t0 = System.nanoTime();
                KeepAliveClient.Answer r = sequential.post(path, contentType, body);
                ms.add((System.nanoTime() - t0) / 1e6);
                if (r.status() != 200) {
                    throw new IllegalStateException("search answered " + r.status() + ": "
                            + new String(r.body(), StandardCharsets.UTF_8));
                }
            }
            return ms;
        }

        Load concurrent(int clients, Duration time) throws InterruptedException {
            ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
            AtomicInteger errors = new AtomicInteger();
            Map<Integer, AtomicInteger> statuses = new java.util.concurrent.ConcurrentHashMap<>();
            long end = System.nanoTime() + time.toNanos();
            List<Thread> threads = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < clients; c++) {
                int id = c;
                Thread thread = new Thread(() -> {
                    int i = id;
                    try (KeepAliveClient client = new KeepAliveClient(base)) {
                        while (System.nanoTime() < end) {
                            long s = System.nanoTime();
                            try {
                                KeepAliveClient.Answer r = client.post(path, contentType,
                                        bodies.get(i++ % bodies.size()));
                                statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
                                if (r.status() == 200) {
                                    ms.add((System.nanoTime() - s) / 1e6);
                                } else {
                                    errors.incrementAndGet();
                                }
                            } catch (IOException e) {
                                errors.incrementAndGet();
                                statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                }, "client-" + c);
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Double> all = new ArrayList<>(ms);
            return new Load(all.size(), errors.get(), seconds, pct(all, 50), pct(all, 95), statuses.toString());
        }
    }

    /** Result of the concurrent phase. */
    record Load(int ok, int errors, double seconds, double p50, double p95, String statuses) {
        double rate() {
            return ok / seconds;
        }
    }

    /** ONNX Runtime alone, batch 1, with the product's session options and its preprocessed tensor. */
    static final class Ort implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession.SessionOptions options;
        private final OrtSession session;
        private final OnnxTensor input;
        private final String inputName;
        private final Set<String> output;

        Ort(Path model, float[] tensor) throws Exception {
            options = com.imageretrieval.features.OnnxEmbedder.sessionOptions(false);
            session = env.createSession(model.toString(), options);
            inputName = session.getInputNames().iterator().next();
            output = Set.of(embeddingOutput(session));
            input = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(tensor), new long[] {1, 3, 224, 224});
        }

        /** The output whose last dimension is 2048 (the pooled embedding) if there is one, else the first. */
        static String embeddingOutput(OrtSession session) throws Exception {
            for (var e : session.getOutputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof ai.onnxruntime.TensorInfo t && t.getShape().length > 0
                        && t.getShape()[t.getShape().length - 1] == 2048) {
                    return e.getKey();
                }
            }
            return session.getOutputNames().iterator().next();
        }

        List<Double> times(int n) throws Exception {
            List<Double> ms = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                try (OrtSession.Result r = session.run(Map.of(inputName, input), output)) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
            return ms;
        }

        double throughput(Duration time) throws Exception {
            long t0 = System.nanoTime();
            long end = t0 + time.toNanos();
            int n = 0;
            while (System.nanoTime() < end) {
                times(1);
                n++;
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }

        @Override
        public void close() throws Exception {
            input.close();
            session.close();
            options.close();
        }
    }

    private ServerBench() {
    }
}
