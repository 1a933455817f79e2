package com.imageretrieval.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A real OpenSearch cluster for the integration tests: N nodes (default 2) of the Maven Central integ-test-zip
 * distribution with the k-NN plugin, each a child process bound to 127.0.0.1 on free ports.
 *
 * <p>How a node home is assembled, once per build under {@code target/it/opensearch/home-<version>} (see also
 * docs/scale-out.md): unzip the distribution; put lang-painless and its jars into {@code modules/lang-painless}
 * with a plugin descriptor, because k-NN extends lang-painless and the integ-test-zip lacks it; then
 * {@code bin/opensearch-plugin install --batch file:...opensearch-knn.zip}. Every node shares that home read-only
 * and has its own config, data and logs folder under {@code target/it/opensearch/<cluster>/<node>}.
 *
 * <p>Each node's JVM is started directly with the options the distribution's JvmOptionsParser computes once
 * (what bin/opensearch does, without the script's four helper JVMs). OpenSearch refuses to run as root: when the
 * tests run as root (CI does), the command is prefixed with {@code setpriv --reuid=65534 --regid=65534
 * --clear-groups} (user nobody), which execs, so the child's pid is the node's JVM and {@link #kill9(int)} kills
 * the JVM itself. Binding only to loopback keeps OpenSearch's bootstrap checks (vm.max_map_count, file
 * descriptors) warnings, not errors.
 *
 * <p>Typical use: {@code OpenSearchCluster os = OpenSearchCluster.shared();} (started once per JVM, stopped at
 * exit) then {@code String.join(",", os.httpUrls())} as OPENSEARCH_URL. A test that kills nodes should either
 * {@link #restartNode(int)} them afterwards or use its own {@link #start(String, int)} cluster and stop it.
 * Paths come from the failsafe system properties it.opensearch.zip, it.opensearch.knn.zip,
 * it.opensearch.painless.dir, it.opensearch.version and it.work (see pom.xml).
 */
public final class OpenSearchCluster implements AutoCloseable {

    /** The uid/gid the nodes run as when the tests run as root (nobody/nogroup on Debian). */
    static final int UNPRIVILEGED_ID = 65534;
    static final String HEAP = "-Xms512m -Xmx512m";
    /** System property giving the nodes another heap, e.g. {@code 2g} (bench/run.sh's OpenSearch step: 100k vectors). */
    static final String HEAP_PROPERTY = "it.opensearch.heap";
    static final Duration NODE_START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STATUS_TIMEOUT = Duration.ofSeconds(120);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    private static final Set<OpenSearchCluster> LIVE = new LinkedHashSet<>();
    private static OpenSearchCluster shared;
    private static boolean hookAdded;

    /** A status code and body of one HTTP exchange with a node. */
    public record Response(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final String name;
    private final Path home;
    private final Path dir;
    private final List<Node> nodes = new ArrayList<>();

    private OpenSearchCluster(String name, Path home, Path dir) {
        this.name = name;
        this.home = home;
        this.dir = dir;
    }

    /**
     * The cluster shared by every test class of this JVM: two nodes, started on first use (about 15-20 s), stopped
     * when the JVM exits. A test that kills a node should restart it ({@link #restartNode(int)}); the next call of
     * shared() restarts any node still down.
     */
    public static synchronized OpenSearchCluster shared() throws Exception {
        if (shared == null || java.util.stream.IntStream.range(0, shared.size()).noneMatch(shared::isRunning)) {
            shared = start("shared", 2); // first use, or someone stopped it
        } else {
            // A test that killed a node and did not restart it: heal the cluster for the next one.
            for (int i = 0; i < shared.size(); i++) {
                if (!shared.isRunning(i)) {
                    shared.restartNode(i);
                }
            }
        }
        return shared;
    }

    /**
     * Starts a cluster of {@code nodeCount} nodes named {@code it-<name>} and waits until it is green with all nodes
     * joined. On failure every node is stopped and the error carries each node's log tail.
     */
    public static OpenSearchCluster start(String name, int nodeCount) throws Exception {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("nodeCount must be >= 1");
        }
        Path work = Path.of(System.getProperty("it.work", "target/it")).toAbsolutePath();
        Path home = preparedHome(work.resolve("opensearch"));
        Path dir = work.resolve("opensearch").resolve(name);
        deleteTree(dir);
        OpenSearchCluster c = new OpenSearchCluster("it-" + name, home, dir);
        List<Integer> transport = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            c.nodes.add(new Node(c, i, freePort(), freePort()));
            transport.add(c.nodes.get(i).transportPort);
        }
        synchronized (OpenSearchCluster.class) {
            LIVE.add(c);
            if (!hookAdded) {
                Runtime.getRuntime().addShutdownHook(new Thread(OpenSearchCluster::stopAllLive, "stop opensearch"));
                hookAdded = true;
            }
        }
        try {
            for (Node n : c.nodes) {
                n.configure(transport, c.nodes.stream().map(Node::name).toList());
                n.launch();
            }
            for (Node n : c.nodes) {
                n.awaitHttp(NODE_START_TIMEOUT);
            }
            c.waitForStatus("green", STATUS_TIMEOUT);
            return c;
        } catch (Throwable e) {
            String logs = c.logTails(80);
            c.stop();
            throw new AssertionError("OpenSearch cluster " + c.name + " did not start: " + e + "\n" + logs, e);
        }
    }

    /** "http://127.0.0.1:port" of every node, in node order (stopped nodes included). */
    public List<String> httpUrls() {
        return nodes.stream().map(Node::url).toList();
    }

    /** The base URL of one node. */
    public String httpUrl(int node) {
        return nodes.get(node).url();
    }

    /** The cluster.name the nodes were given. */
    public String clusterName() {
        return name;
    }

    public int size() {
        return nodes.size();
    }

    /** Whether every node's process is alive. */
    public boolean isRunning() {
        return !nodes.isEmpty() && nodes.stream().allMatch(Node::alive);
    }

    public boolean isRunning(int node) {
        return nodes.get(node).alive();
    }

    /** The pid of a node's JVM (the child process itself: setpriv execs it). */
    public long pid(int node) {
        return nodes.get(node).process.pid();
    }

    /** How long the node took from launch until its HTTP port answered, at its last (re)start. */
    public Duration startupTime(int node) {
        return nodes.get(node).startupTime;
    }

    /** The index of the node that is the elected cluster manager now, asked of the first live node. */
    public int clusterManagerNode() throws Exception {
        Response r = request("GET", "/_cat/cluster_manager?h=node");
        String managerName = r.body().trim();
        for (Node n : nodes) {
            if (n.name().equals(managerName)) {
                return n.index;
            }
        }
        throw new IllegalStateException("no cluster manager among " + httpUrls() + ": " + r);
    }

    /**
     * Waits (bounded) until the cluster reports at least {@code status} ("green" or "yellow") with every live node
     * joined, asking a live node.
     */
    public void waitForStatus(String status, Duration timeout) throws Exception {
        long live = nodes.stream().filter(Node::alive).count();
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = request("GET", "/_cluster/health?wait_for_status=" + status + "&wait_for_nodes=" + live
                        + "&timeout=2s");
                if (last.status() == 200 && !last.body().contains("\"timed_out\":true")) {
                    return;
                }
            } catch (IOException e) {
                lastError = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cluster " + name + " not " + status + " with " + live + " nodes within " + timeout
                + ": " + (last != null ? last : lastError));
    }

    public void waitForGreen() throws Exception {
        waitForStatus("green", STATUS_TIMEOUT);
    }

    public void waitForYellow() throws Exception {
        waitForStatus("yellow", STATUS_TIMEOUT);
    }

    /** Kills a node's JVM with SIGKILL (no shutdown at all) and waits until it is gone. */
    public void kill9(int node) throws InterruptedException {
        Node n = nodes.get(node);
        n.process.destroyForcibly();
        if (!n.process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + n.name() + " (pid " + n.process.pid() + ") survived SIGKILL");
        }
    }

    /** Starts a stopped or killed node again on the same ports and data folder, and waits until the cluster is green. */
    public void restartNode(int node) throws Exception {
        Node n = nodes.get(node);
        if (n.alive()) {
            throw new IllegalStateException(n.name() + " is running");
        }
        synchronized (OpenSearchCluster.class) {
            LIVE.add(this); // stopped on exit again, should stop() have removed it
        }
        try {
            n.launch();
            n.awaitHttp(NODE_START_TIMEOUT);
            waitForGreen();
        } catch (Throwable e) {
            throw new AssertionError("restart of " + n.name() + " failed: " + e + "\n" + n.logTail(80), e);
        }
    }

    /** One request to the first live node; {@code jsonBody} may be null. Content type application/json. */
    public Response request(String method, String path, String jsonBody) throws IOException, InterruptedException {
        for (Node n : nodes) {
            if (n.alive()) {
                return request(n.index, method, path, jsonBody);
            }
        }
        throw new IllegalStateException("no live node in " + name);
    }

    public Response request(String method, String path) throws IOException, InterruptedException {
        return request(method, path, null);
    }

    /** One request to the given node. Use content type application/x-ndjson paths (_bulk) with a body ending in \n. */
    public Response request(int node, String method, String path, String jsonBody)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(httpUrl(node) + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", path.contains("_bulk") ? "application/x-ndjson" : "application/json");
        b.method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(jsonBody));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    /** The last lines of every node's output (the server log), for failure messages. */
    public String logTails(int lines) {
        return nodes.stream().map(n -> n.logTail(lines)).collect(Collectors.joining("\n"));
    }

    /**
     * Stops every node (SIGTERM, then SIGKILL after 20 s) and deletes the data folders; the logs stay under
     * target/it/opensearch/&lt;cluster&gt;/. Safe to call twice.
     */
    public synchronized void stop() {
        for (Node n : nodes) {
            n.stop();
        }
        for (Node n : nodes) {
            try {
                deleteTree(n.dir.resolve("data"));
            } catch (IOException e) {
                System.err.println("could not delete " + n.dir.resolve("data") + ": " + e);
            }
        }
        synchronized (OpenSearchCluster.class) {
            LIVE.remove(this);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static synchronized void stopAllLive() {
        for (OpenSearchCluster c : List.copyOf(LIVE)) {
            c.stop();
        }
    }

    /**
     * A JUnit extension that prints the log tails of every running cluster when a test fails:
     * {@code @ExtendWith(OpenSearchCluster.DumpLogsOnFailure.class)}.
     */
    public static final class DumpLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            List<OpenSearchCluster> live;
            synchronized (OpenSearchCluster.class) {
                live = List.copyOf(LIVE);
            }
            for (OpenSearchCluster c : live) {
                System.err.println("==== " + context.getDisplayName() + " failed; OpenSearch cluster " + c.name
                        + " logs:\n" + c.logTails(60));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // One node

    private static final class Node {
        final OpenSearchCluster cluster;
        final int index;
        final int httpPort;
        final int transportPort;
        final Path dir;
        final Path out;
        Process process;
        Duration startupTime;
        private long launchedAt;

        Node(OpenSearchCluster cluster, int index, int httpPort, int transportPort) {
            this.cluster = cluster;
            this.index = index;
            this.httpPort = httpPort;
            this.transportPort = transportPort;
            this.dir = cluster.dir.resolve(name());
            this.out = dir.resolve("logs").resolve("stdout.log");
        }

        String name() {
            return "node-" + index;
        }

        String url() {
            return "http://127.0.0.1:" + httpPort;
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        /** Writes config/ (a copy of the home's, with this node's opensearch.yml), data/, logs/, tmp/. */
        void configure(List<Integer> transportPorts, List<String> managerNames) throws IOException {
            Path config = dir.resolve("config");
            copyTree(cluster.home.resolve("config"), config);
            for (String sub : List.of("data", "logs", "tmp")) {
                Files.createDirectories(dir.resolve(sub));
            }
            String seeds = transportPorts.stream().map(p -> "\"127.0.0.1:" + p + "\"")
                    .collect(Collectors.joining(", "));
            String managers = managerNames.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
            Files.writeString(config.resolve("opensearch.yml"), String.join("\n",
                    "# Written by OpenSearchCluster (integration tests).",
                    "cluster.name: " + cluster.name,
                    "node.name: " + name(),
                    // Loopback only: the bootstrap checks stay warnings and nothing is reachable from outside.
                    "network.host: 127.0.0.1",
                    "http.port: " + httpPort,
                    "transport.port: " + transportPort,
                    "discovery.seed_hosts: [" + seeds + "]",
                    "cluster.initial_cluster_manager_nodes: [" + managers + "]",
                    "path.data: " + dir.resolve("data"),
                    "path.logs: " + dir.resolve("logs"),
                    // A full build disk (90% watermarks) would leave replicas unassigned and the cluster yellow.
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    ""));
            if (runningAsRoot()) {
                chownTree(dir);
                ensureTraversable(dir);
            }
        }

        /**
         * Starts the node's JVM directly, the way bin/opensearch finally execs it, with the options its
         * JvmOptionsParser chose ({@link #jvmOptions(Path)}). Skipping the script saves the four helper JVMs it
         * starts first (Java version check twice, keystore check, options parser), seconds each on a busy machine.
         */
        void launch() throws Exception {
            List<String> command = new ArrayList<>();
            if (runningAsRoot()) {
                command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID,
                        "--clear-groups"));
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xshare:auto");
            for (String option : jvmOptions(cluster.home)) {
                command.add(option.replace(TMPDIR_PLACEHOLDER, dir.resolve("tmp").toString()));
            }
            command.addAll(List.of(
                    "-XX:HeapDumpPath=" + dir.resolve("data"),
                    "-XX:ErrorFile=" + dir.resolve("logs") + "/hs_err_pid%p.log",
                    "-Dopensearch.path.home=" + cluster.home,
                    "-Dopensearch.path.conf=" + dir.resolve("config"),
                    "-Dopensearch.distribution.type=zip",
                    "-Dopensearch.bundled_jdk=false",
                    "-cp", cluster.home.resolve("lib") + "/*",
                    "org.opensearch.bootstrap.OpenSearch"));
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
            pb.environment().put("HOME", dir.toString());
            Files.writeString(out, "\n===== starting " + name() + ": " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            launchedAt = System.nanoTime();
            process = pb.start();
            process.getOutputStream().close(); // no keystore password to read
        }

        /** Polls GET / until the node answers 200 (its HTTP layer and node services are up). */
        void awaitHttp(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError(name() + " exited with " + process.exitValue() + "\n" + logTail(80));
                }
                try {
                    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        startupTime = Duration.ofNanos(System.nanoTime() - launchedAt);
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            throw new AssertionError(name() + " did not answer on " + url() + " within " + timeout);
        }

        void stop() {
            if (process == null) {
                return;
            }
            try {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(20, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        String logTail(int lines) {
            try {
                List<String> all = Files.readAllLines(out, StandardCharsets.UTF_8);
                return "---- " + name() + " " + out + " (last " + lines + " lines):\n"
                        + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException | UncheckedIOException e) {
                return "---- " + name() + ": no log at " + out + " (" + e + ")";
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The node home, assembled once per build

    /**
     * Returns target/it/opensearch/home-&lt;version&gt; with lang-painless and k-NN installed, building it when the
     * marker file is missing (a half-built home from an interrupted run is deleted first).
     */
    static synchronized Path preparedHome(Path base) throws Exception {
        String version = required("it.opensearch.version");
        Path zip = Path.of(required("it.opensearch.zip"));
        Path knn = Path.of(required("it.opensearch.knn.zip"));
        Path painless = Path.of(required("it.opensearch.painless.dir"));
        Path home = base.resolve("home-" + version);
        Path marker = home.resolve(".prepared");
        if (Files.exists(marker)) {
            return home;
        }
        deleteTree(home);
        Files.createDirectories(home);
        unzip(zip, home, "opensearch-" + version + "/");
        for (String script : listNames(home.resolve("bin"))) {
            home.resolve("bin").resolve(script).toFile().setExecutable(true, false);
        }
        // k-NN declares extended.plugins=lang-painless; the integ-test-zip has only transport-netty4. The jar
        // alone on Central is enough once it sits in a module folder with the descriptor the build would write.
        Path module = Files.createDirectories(home.resolve("modules/lang-painless"));
        try (Stream<Path> jars = Files.list(painless)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, module.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(module.resolve("plugin-descriptor.properties"), String.join("\n",
                "description=An easy, safe and fast scripting language for OpenSearch",
                "version=" + version,
                "name=lang-painless",
                "classname=org.opensearch.painless.PainlessPlugin",
                "java.version=11",
                "opensearch.version=" + version,
                "custom.foldername=",
                "extended.plugins=",
                "has.native.controller=false",
                ""));
        // The permissions the real module's policy grants: Painless compiles scripts into classes at run time.
        Files.writeString(module.resolve("plugin-security.policy"), String.join("\n",
                "grant {",
                "  permission java.lang.RuntimePermission \"createClassLoader\";",
                "  permission java.lang.RuntimePermission \"getClassLoader\";",
                "};",
                ""));
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/opensearch-plugin").toString(), "install",
                "--batch", knn.toAbsolutePath().toUri().toString())
                .directory(home.toFile()).redirectErrorStream(true);
        pb.environment().put("OPENSEARCH_JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("opensearch-plugin install of " + knn + " failed:\n" + output);
        }
        if (runningAsRoot()) {
            makeWorldReadable(home);
            ensureTraversable(home);
        }
        Files.writeString(marker, "lang-painless + " + knn.getFileName() + "\n");
        return home;
    }

    static final String TMPDIR_PLACEHOLDER = "@NODE_TMPDIR@";
    private static final java.util.Map<Path, List<String>> JVM_OPTIONS = new java.util.HashMap<>();

    /**
     * The JVM options bin/opensearch would pass, computed once per home by the distribution's own
     * JvmOptionsParser (stock config/jvm.options, the heap, and its ergonomics such as MaxDirectMemorySize), minus
     * the entries with paths relative to the home (GC log, heap dump, error file) that each node sets itself.
     */
    static synchronized List<String> jvmOptions(Path home) throws Exception {
        List<String> cached = JVM_OPTIONS.get(home);
        if (cached != null) {
            return cached;
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-cp", home.resolve("lib") + "/*", "org.opensearch.tools.launchers.JvmOptionsParser",
                home.resolve("config").toString()).directory(home.toFile()).redirectErrorStream(true);
        // No pre-touch: 512 MB heaps stay mostly virtual on a shared machine and the node starts sooner.
        String heap = System.getProperty(HEAP_PROPERTY, "").isBlank() ? HEAP
                : "-Xms" + System.getProperty(HEAP_PROPERTY).trim() + " -Xmx" + System.getProperty(HEAP_PROPERTY).trim();
        pb.environment().put("OPENSEARCH_JAVA_OPTS", heap + " -XX:-AlwaysPreTouch");
        pb.environment().put("OPENSEARCH_TMPDIR", TMPDIR_PLACEHOLDER);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("JvmOptionsParser failed:\n" + output);
        }
        List<String> options = new ArrayList<>();
        for (String o : output.split("\\s+")) {
            if (!o.isEmpty() && !o.startsWith("-Xlog:gc") && !o.startsWith("-XX:HeapDumpPath=")
                    && !o.startsWith("-XX:ErrorFile=")) {
                options.add(o);
            }
        }
        JVM_OPTIONS.put(home, List.copyOf(options));
        return JVM_OPTIONS.get(home);
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the ITs through "
                    + "`mvn verify` (failsafe passes it; see pom.xml, execution it-opensearch-dist)");
        }
        return v;
    }

    /** Unzips {@code zip} into {@code target}, dropping the {@code stripPrefix} top folder; refuses entries that climb. */
    private static void unzip(Path zip, Path target, String stripPrefix) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String entry = e.getName();
                if (entry.startsWith(stripPrefix)) {
                    entry = entry.substring(stripPrefix.length());
                }
                if (entry.isEmpty()) {
                    continue;
                }
                Path to = target.resolve(entry).normalize();
                if (!to.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    copy(in, to);
                }
            }
        }
    }

    private static void copy(InputStream in, Path to) throws IOException {
        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running as root

    private static Boolean root;

    /** Whether this JVM runs as uid 0 (/proc/self belongs to the process's user). */
    static synchronized boolean runningAsRoot() {
        if (root == null) {
            try {
                root = ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
            } catch (IOException | UnsupportedOperationException e) {
                root = false;
            }
        }
        return root;
    }

    /** Gives a node's folder to the unprivileged user, who writes data, logs and tmp there. */
    private static void chownTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                Files.setAttribute(p, "unix:uid", UNPRIVILEGED_ID);
                Files.setAttribute(p, "unix:gid", UNPRIVILEGED_ID);
            }
        }
    }

    /** o+r on files, o+rx on folders: the home is read (never written) by the nodes. */
    private static void makeWorldReadable(Path home) throws IOException {
        try (Stream<Path> s = Files.walk(home)) {
            for (Path p : s.toList()) {
                Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
                perms.add(PosixFilePermission.OTHERS_READ);
                if (Files.isDirectory(p) || perms.contains(PosixFilePermission.OWNER_EXECUTE)) {
                    perms.add(PosixFilePermission.OTHERS_EXECUTE);
                }
                Files.setPosixFilePermissions(p, perms);
            }
        }
    }

    /**
     * The unprivileged user must be able to walk down to the node folders: every ancestor needs o+x. Adds it
     * where missing (say a 0700 workspace) and says so.
     */
    private static void ensureTraversable(Path path) throws IOException {
        for (Path p = path.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                Set<PosixFilePermission> more = EnumSet.copyOf(perms);
                more.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, more);
                System.err.println("OpenSearchCluster: added o+x to " + p + " so that uid " + UNPRIVILEGED_ID
                        + " can reach the node folders");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Small helpers

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        ItHarness.deleteTree(dir);
    }
}
