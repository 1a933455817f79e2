package com.imageretrieval.it;

import com.imageretrieval.testing.TestModels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A public door to this package's server harness for integration tests in sub-packages (the browser tests in
 * {@code it.browser}): Payara Micro as a child process, the generated colour dataset and the designed colour model.
 * The harness classes stay package-private; this only forwards.
 */
public final class ItHarness implements AutoCloseable {

    private final ServerProcess server;

    private ItHarness(ServerProcess server) {
        this.server = server;
    }

    /** A Payara Micro server (not started) working under {@code work}. */
    public static ItHarness payara(Path work) throws IOException {
        return new ItHarness(new PayaraServer(work));
    }

    /** Starts the server with the WAR of this build and returns once /api/health answers 200. */
    public Duration start(Map<String, String> environment, Duration timeout) throws Exception {
        return server.start(environment, timeout);
    }

    public URI base() {
        return server.base();
    }

    public Path log() {
        return server.log;
    }

    public String logTail(int lines) {
        return server.tail(lines);
    }

    @Override
    public void close() {
        server.close();
    }

    /** The labelled colour folders of {@link ItDataset} ({@link #perClass()} JPEGs each), written under root. */
    public static void generateDataset(Path root, long seed) throws IOException {
        ItDataset.generate(root, seed);
    }

    public static List<String> labels() {
        return List.copyOf(ItDataset.HUES.keySet());
    }

    public static int perClass() {
        return ItDataset.PER_CLASS;
    }

    /** A photo-sized picture of a colour none of the dataset's folders has. */
    public static BufferedImage otherPicture(long seed) {
        return ItDataset.cyanPicture(seed);
    }

    /** The designed colour model ({@link TestModels#colourModel}), written to file. */
    public static Path colourModel(Path file) throws IOException {
        return TestModels.colourModel(file);
    }

    public static int dimension() {
        return TestModels.colourChannels();
    }

    public static void deleteTree(Path dir) throws IOException {
        ApiContractIT.deleteTree(dir);
    }
}
