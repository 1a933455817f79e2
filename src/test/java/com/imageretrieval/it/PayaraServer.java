package com.imageretrieval.it;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Payara Micro 6: one `java -jar payara-micro.jar --deploy app.war` process; a redeploy is a process restart. */
final class PayaraServer extends ServerProcess {

    private int port;
    private int jmxPort;

    PayaraServer(Path work) throws IOException {
        super("payara", work);
    }

    @Override
    int httpPort() {
        return port;
    }

    @Override
    List<String> prepare() throws IOException {
        if (port == 0) {
            port = freePort(); // kept across restarts: the tests hold the URL
            jmxPort = freePort();
        }
        // A fresh root directory per start: Payara Micro remembers deployed applications in it and would deploy
        // the WAR once from there and then again from --deploy, answering 503 in between.
        ApiContractIT.deleteTree(directory().resolve("payara-root"));
        return List.of(javaExecutable(), "-Xmx1g", "-Djava.awt.headless=true",
                "--add-modules", "jdk.incubator.vector",
                // Remote JMX on loopback only, for the MBean test (an operator would use jconsole the same way).
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-jar", required("it.payara.jar").toString(),
                "--deploy", required("it.war").toString(),
                "--contextroot", CONTEXT_ROOT,
                "--port", Integer.toString(port),
                "--nocluster",
                "--rootdir", directory().resolve("payara-root").toString());
    }

    @Override
    Optional<String> jmxUrl() {
        return Optional.of("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
    }

    @Override
    void redeploy() throws Exception {
        // Payara Micro has no deployment scanner: the operator's redeploy is a restart with the new WAR.
        stop();
        start(environment(), ApiContractIT.START_TIMEOUT);
    }

    @Override
    boolean rejectsAboveRoot() {
        return true; // Grizzly normalises the decoded path and refuses one that leaves the root
    }

    @Override
    boolean rejectsEncodedBackslash() {
        return true; // Grizzly answers 400 (empty body) to %5C and %00 in the path, before any web application
    }
}
