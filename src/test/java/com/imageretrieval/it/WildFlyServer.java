package com.imageretrieval.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * WildFly 39 from the wildfly-dist zip the build unpacked: the WAR is copied into standalone/deployments (the
 * deployment scanner deploys it), ports are moved by jboss.socket.binding.port-offset, and the heap is raised
 * through JAVA_OPTS (the default standalone.conf caps it at 512 MB).
 */
final class WildFlyServer extends ServerProcess {

    static final String WAR = "image-retrieval.war";
    private final Path home;
    private final Path base;
    private int offset;

    WildFlyServer(Path work) throws IOException {
        super("wildfly", work);
        home = required("it.wildfly.home");
        base = work.resolve("wildfly-base");
    }

    @Override
    int httpPort() {
        return 8080 + offset;
    }


    @Override
    Map<String, String> extraEnvironment() {
        // --add-modules: the Vector API for the SIMD scan (the WAR's jboss-deployment-structure.xml depends on it).
        return Map.of("JAVA_OPTS", "-Xms64m -Xmx1g -XX:MaxMetaspaceSize=512m -Djava.net.preferIPv4Stack=true"
                + " -Djava.awt.headless=true --add-modules=jdk.incubator.vector");
    }

    @Override
    List<String> prepare() throws IOException {
        if (offset == 0) {
            offset = freeOffset(); // kept across restarts: the tests hold the URL
        }
        // A fresh server base directory per start (configuration copied from the distribution, empty data, tmp and
        // deployments), so nothing from an earlier run or another test class is deployed or re-attempted, and the
        // unpacked distribution itself is never written to.
        ApiContractIT.deleteTree(base);
        copyTree(home.resolve("standalone/configuration"), base.resolve("configuration"));
        configure();
        Files.createDirectories(base.resolve("deployments"));
        Files.copy(required("it.war"), base.resolve("deployments").resolve(WAR), StandardCopyOption.REPLACE_EXISTING);
        return List.of("/bin/sh", home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base.toAbsolutePath(),
                "-Djboss.socket.binding.port-offset=" + offset,
                // jboss-web.xml reads its context root from this property (default "/"), the way an operator
                // would deploy the same WAR elsewhere.
                "-Dimage-retrieval.context-root=" + CONTEXT_ROOT);
    }

    /**
     * Applies the project's server configuration (src/main/wildfly/configure.cli: Undertow's max-post-size) to this
     * base directory offline, with the distribution's own jboss-cli in embed-server mode, as an operator would.
     */
    private void configure() throws IOException {
        Path script = Path.of("src/main/wildfly/configure.cli").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", home.resolve("bin/jboss-cli.sh").toString(),
                "--file=" + script).redirectErrorStream(true)
                .redirectOutput(work.resolve("jboss-cli.log").toFile());
        pb.environment().put("JAVA_OPTS", "-Djboss.server.base.dir=" + base.toAbsolutePath());
        pb.environment().put("JBOSS_HOME", home.toAbsolutePath().toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("jboss-cli " + script + " failed: " + Files.readString(work.resolve("jboss-cli.log")));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while configuring WildFly", e);
        }
    }

    @Override
    void redeploy() throws Exception {
        Path deployments = base.resolve("deployments");
        // The scanner stamps the .deployed marker with the WAR's time, not the deployment's, so the sign of a
        // finished redeploy is the server's own log line (WFLYSRV0016) plus the markers settling.
        long replacedBefore = countInLog(REPLACED);
        Files.writeString(deployments.resolve(WAR + ".dodeploy"), WAR);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(WAR + ".failed"))) {
                throw new AssertionError("WildFly redeploy failed:\n" + tail(60));
            }
            if (countInLog(REPLACED) > replacedBefore && !Files.exists(deployments.resolve(WAR + ".dodeploy"))
                    && !Files.exists(deployments.resolve(WAR + ".isdeploying"))
                    && Files.exists(deployments.resolve(WAR + ".deployed"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("WildFly did not redeploy within 3 minutes:\n" + tail(60));
    }

    @Override
    boolean deploysInProcess() {
        return true;
    }

    /** Removing the scanner's .deployed marker undeploys the WAR; the scanner then writes .undeployed. */
    @Override
    void undeploy() throws Exception {
        Path deployments = base.resolve("deployments");
        Files.deleteIfExists(deployments.resolve(WAR + ".undeployed"));
        Files.delete(deployments.resolve(WAR + ".deployed"));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(WAR + ".undeployed"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("WildFly did not undeploy within 2 minutes:\n" + tail(60));
    }

    /** A .dodeploy marker deploys the (undeployed) WAR again. */
    @Override
    void deploy() throws Exception {
        Path deployments = base.resolve("deployments");
        Files.writeString(deployments.resolve(WAR + ".dodeploy"), WAR);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(deployments.resolve(WAR + ".failed"))) {
                throw new AssertionError("WildFly deploy failed:\n" + tail(60));
            }
            if (!Files.exists(deployments.resolve(WAR + ".dodeploy"))
                    && !Files.exists(deployments.resolve(WAR + ".isdeploying"))
                    && Files.exists(deployments.resolve(WAR + ".deployed"))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("WildFly did not deploy within 3 minutes:\n" + tail(60));
    }

    private static final String REPLACED = "WFLYSRV0016: Replaced deployment \"" + WAR + "\"";

    private long countInLog(String text) throws IOException {
        try (Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    @Override
    boolean rejectsAboveRoot() {
        return false;
    }

    @Override
    boolean rejectsEncodedBackslash() {
        return false;
    }

    private static int freeOffset() {
        Random r = new Random();
        for (int i = 0; i < 200; i++) {
            int n = 1000 + r.nextInt(20000);
            if (free(8080 + n) && free(8443 + n) && free(9990 + n) && free(9993 + n) && free(8009 + n)) {
                return n;
            }
        }
        throw new IllegalStateException("no free port offset for WildFly");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
