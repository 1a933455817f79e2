package com.imageretrieval.it;

import com.imageretrieval.testing.TestDualEncoders;
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

    /**
     * Writes a generated text encoder and tokenizer.json matching the colour model under {@code dir} (the colour
     * words of the dataset's folders, in English and Chinese, point where the model puts images of that colour) and
     * returns the environment that turns text search on: TEXT_MODEL_PATH and TOKENIZER_PATH.
     */
    public static Map<String, String> textSearchEnvironment(Path dir, Path colourModel) throws IOException {
        Map<String, java.awt.Color> colours = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Float> e : ItDataset.HUES.entrySet()) {
            colours.put(e.getKey(), java.awt.Color.getHSBColor(e.getValue(), 0.75f, 0.75f));
        }
        TestDualEncoders.Files3 dual = TestDualEncoders.colourDualEncoder(dir, colourModel, colours);
        return Map.of("TEXT_MODEL_PATH", dual.text().toAbsolutePath().toString(),
                "TOKENIZER_PATH", dual.tokenizer().toAbsolutePath().toString());
    }

    /** The Chinese name the generated text encoder knows for a colour label (e.g. "red" -> "红色"). */
    public static String chineseColour(String label) {
        return TestDualEncoders.CHINESE.get(label);
    }

    public static int dimension() {
        return TestModels.colourChannels();
    }

    public static void deleteTree(Path dir) throws IOException {
        ApiContractIT.deleteTree(dir);
    }
}
