package com.imageretrieval.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One application server as a child process of the test JVM: started with the given environment, output appended
 * to a log file under target/, stopped with its whole process tree (SIGTERM, then SIGKILL) by {@link #stop()}, by
 * the test class's @AfterAll and, should the JVM die first, by a shutdown hook.
 */
abstract class ServerProcess implements AutoCloseable {

    private static final HttpClient PROBE = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final Path work;
    final Path log;
    private Process process;
    private Map<String, String> env = Map.of();
    private final Thread hook = new Thread(this::stopQuietly, "stop server");
    private boolean hookAdded;

    ServerProcess(String name, Path work) throws IOException {
        this.name = name;
        this.work = Files.createDirectories(work);
        this.log = work.resolve(name + ".log");
    }

    /** The port the server answers HTTP on. */
    abstract int httpPort();

    /** Prepares ports, directories and the deployment; returns the command line. */
    abstract List<String> prepare() throws IOException;

    /** Deploys the WAR again without restarting the JVM where the server can; restarts the process otherwise. */
    abstract void redeploy() throws Exception;

    /**
     * Whether {@link #undeploy()} and {@link #deploy()} work in the running server (WildFly's deployment scanner).
     * Payara Micro deploys its WARs once, at start: see docs/robustness.md, class 10.
     */
    boolean deploysInProcess() {
        return false;
    }

    /** Undeploys the WAR and returns once the server says it is gone; the JVM keeps running. */
    void undeploy() throws Exception {
        throw new UnsupportedOperationException(name + " cannot undeploy in process");
    }

    /** Deploys the WAR again after {@link #undeploy()} and returns once the deployment is up. */
    void deploy() throws Exception {
        throw new UnsupportedOperationException(name + " cannot deploy in process");
    }

    /** Whether the server itself answers 400 to encoded backslashes and NULs before the application sees them. */
    abstract boolean rejectsEncodedBackslash();

    /** A JMX service URL for the server's platform MBeans, where the test can reach them. */
    Optional<String> jmxUrl() {
        return Optional.empty();
    }

    /** Whether the server itself answers 400 to a path whose dot segments climb above the root. */
    abstract boolean rejectsAboveRoot();

    Path directory() {
        return work;
    }

    /**
     * The context root every IT deploys the WAR under: not "/" on purpose, so that a page or an answer that assumes
     * the server root fails here (issue 12). The product's own default stays "/" (README, Docker images).
     */
    static final String CONTEXT_ROOT = System.getProperty("it.contextRoot", "/retrieval");

    /** The application's base URL, context root included, with a trailing slash: resolve relative paths on it. */
    URI base() {
        return URI.create("http://127.0.0.1:" + httpPort() + CONTEXT_ROOT + "/");
    }

    Map<String, String> environment() {
        return env;
    }

    /** Starts the process and returns once /api/health answers 200, or fails with the log's tail. */
    synchronized Duration start(Map<String, String> environment, Duration timeout) throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        env = Map.copyOf(environment);
        List<String> command = prepare();
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> pe = pb.environment();
        for (String k : List.of("DATASET_DIR", "MODEL_PATH", "ARTIFACTS_DIR", "ADMIN_TOKEN", "REINDEX_SCHEDULE",
                "MAX_UPLOAD_MB", "TOP_K", "STATIC_PREFIX", "ORT_DEVICE", "JAVA_OPTS", "TEXT_MODEL_PATH", "TOKENIZER_PATH",
                "MODEL_PREPROCESSING", "RUST_LIBRARY_PATH")) {
            pe.remove(k);
        }
        pe.putAll(env);
        pe.putAll(extraEnvironment());
        Files.writeString(log, "\n===== starting " + name + ": " + String.join(" ", command) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        if (!hookAdded) {
            Runtime.getRuntime().addShutdownHook(hook);
            hookAdded = true;
        }
        long t0 = System.nanoTime();
        process = pb.start();
        awaitHealthAnswer(timeout);
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    Path workingDirectory() {
        return work;
    }

    Map<String, String> extraEnvironment() {
        return Map.of();
    }

    /** Polls /api/health until it answers 200; returns that first body. */
    String awaitHealthAnswer(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before answering; log "
                        + log + ":\n" + tail(60));
            }
            try {
                HttpResponse<String> r = PROBE.send(HttpRequest.newBuilder(base().resolve("api/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not answer /api/health within " + timeout + "; log " + log + ":\n"
                + tail(60));
    }

    /** Resident memory of the whole process tree (the JVM plus a launcher shell, if any), in MiB. */
    long rssMiB() {
        if (process == null) {
            return -1;
        }
        long kb = 0;
        for (ProcessHandle h : tree()) {
            try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(h.pid()), "status"))) {
                kb += lines.filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(
                        l.replaceAll("[^0-9]", ""))).sum();
            } catch (IOException | RuntimeException gone) {
                // exited meanwhile, or not Linux
            }
        }
        return kb / 1024;
    }

    /** CPU time (user + system) the server's process tree has used so far, in nanoseconds; -1 when unknown. */
    long cpuNanos() {
        if (process == null) {
            return -1;
        }
        long nanos = 0;
        for (ProcessHandle h : tree()) {
            nanos += h.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }
        return nanos;
    }

    synchronized void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        tree.add(process.toHandle());
        // Children first: a launcher script that dies first would leave its JVM running, detached.
        for (ProcessHandle h : tree) {
            h.destroy();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        process = null;
    }

    /** kill -9 of the server's process tree: no shutdown hook, no undeploy (a node that dies). */
    synchronized void kill9() throws InterruptedException {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        tree.add(process.toHandle());
        for (ProcessHandle h : tree) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new AssertionError(name + " did not die of SIGKILL: " + e);
            }
        }
        process = null;
    }

    /** The pids of the server's process tree (launcher script and JVM). */
    synchronized java.util.Set<Long> pids() {
        java.util.Set<Long> pids = new java.util.HashSet<>();
        if (process != null) {
            tree().forEach(h -> pids.add(h.pid()));
        }
        return pids;
    }

    /** The server's process and its descendants (a launcher script and its JVM), the launched one first. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.toHandle().descendants().forEach(tree::add);
        return tree;
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // the JVM is going down anyway
        }
    }

    @Override
    public void close() {
        stop();
        if (hookAdded) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            hookAdded = false;
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static Path required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through mvn verify)");
        }
        Path p = Path.of(v);
        if (!Files.exists(p)) {
            throw new IllegalStateException(property + ": " + p + " does not exist (run through mvn verify)");
        }
        return p;
    }

    static Map<String, String> copy(Map<String, String> m) {
        return new HashMap<>(m);
    }
}
