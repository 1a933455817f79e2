package com.imageretrieval.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.LocalHttpServer;
import com.imageretrieval.testing.TestDirs;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DownloaderTest {

    private static final byte[] BODY = randomBytes(300_000, 42);

    private LocalHttpServer server;
    private Path dir;
    private final Downloader downloader = new Downloader(3, Duration.ofMillis(10));

    @BeforeEach
    void setUp() throws IOException {
        server = new LocalHttpServer();
        dir = TestDirs.fresh("download");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void downloadsOverHttpAndReportsProgressUpToTheTotal() throws Exception {
        server.serve("/file.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 0);
        Path target = dir.resolve("file.bin");
        Recorder rec = new Recorder();

        downloader.download(server.uri("/file.bin"), target, sha256(BODY), rec);

        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertFalse(Files.exists(Downloader.partFile(target)));
        assertFalse(rec.progress.isEmpty());
        DownloadProgress last = rec.progress.get(rec.progress.size() - 1);
        assertTrue(last.finished());
        assertEquals(BODY.length, last.bytes());
        assertEquals(BODY.length, last.total());
        for (int i = 1; i < rec.progress.size(); i++) {
            assertTrue(rec.progress.get(i).bytes() >= rec.progress.get(i - 1).bytes(), "progress never goes back");
        }
    }

    @Test
    void resumesWithARangeRequestAfterTheConnectionDrops() throws Exception {
        server.serve("/drop.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 1);
        Path target = dir.resolve("drop.bin");
        Recorder rec = new Recorder();

        downloader.download(server.uri("/drop.bin"), target, sha256(BODY), rec);

        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals(2, server.count("/drop.bin"));
        String range = server.requests().get(1).range();
        assertNotNull(range, "the retry asks only for the missing part");
        long from = Long.parseLong(range.replaceAll("\\D", ""));
        assertTrue(from > 0 && from < BODY.length, "resumed at " + from);
        assertTrue(rec.infos.stream().anyMatch(m -> m.contains("try 2 of 3")), rec.infos.toString());
    }

    @Test
    void restartsFromTheBeginningWhenTheServerIgnoresRanges() throws Exception {
        server.serve("/norange.bin", BODY, LocalHttpServer.Ranges.IGNORED, 2);
        Path target = dir.resolve("norange.bin");

        downloader.download(server.uri("/norange.bin"), target, sha256(BODY), new Recorder());

        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals(3, server.count("/norange.bin"));
        assertTrue(server.requests().stream().allMatch(s -> s.range() == null), "no Range without Accept-Ranges");
    }

    @Test
    void givesUpAfterThreeTriesAndLeavesNoFileBehind() throws Exception {
        server.serve("/broken.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 100);
        Path target = dir.resolve("broken.bin");

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(server.uri("/broken.bin"), target, null, new Recorder()));

        assertTrue(e.getMessage().contains("after 3 tries"), e.getMessage());
        assertTrue(e.getMessage().contains(server.uri("/broken.bin").toString()), e.getMessage());
        assertEquals(3, server.count("/broken.bin"));
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(Downloader.partFile(target)));
    }

    @Test
    void notFoundFailsAtOnceWithACleanMessage() throws Exception {
        server.status("/missing.tgz", 404);
        Path target = dir.resolve("missing.tgz");

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(server.uri("/missing.tgz"), target, null, new Recorder()));

        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("/missing.tgz"), e.getMessage());
        assertEquals(1, server.count("/missing.tgz"), "a 404 is not retried");
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(Downloader.partFile(target)));
    }

    @Test
    void serverErrorsAreRetried() throws Exception {
        server.status("/down", 503);
        Path target = dir.resolve("down");
        assertThrows(DownloadException.class,
                () -> downloader.download(server.uri("/down"), target, null, new Recorder()));
        assertEquals(3, server.count("/down"));
        assertFalse(Files.exists(target));
    }

    @Test
    void followsRedirects() throws Exception {
        server.serve("/real.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 0).redirect("/moved", "/real.bin");
        Path target = dir.resolve("moved.bin");
        downloader.download(server.uri("/moved"), target, null, new Recorder());
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void checksumMismatchDiscardsTheFile() throws Exception {
        server.serve("/file.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 0);
        Path target = dir.resolve("file.bin");
        String wrong = "0".repeat(64);

        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(server.uri("/file.bin"), target, wrong, new Recorder()));

        assertTrue(e.getMessage().contains("SHA-256 mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains(sha256(BODY)), "names the actual digest: " + e.getMessage());
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(Downloader.partFile(target)));
        assertEquals(1, server.count("/file.bin"), "a wrong digest is not a network problem");
    }

    @Test
    void aFullDiskFailsAtOnceAndLeavesNothing() throws Exception {
        server.serve("/file.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 0);
        Path target = dir.resolve("file.bin");
        // The sink accepts 100 kB, then fails the way a full disk does.
        Downloader.SinkOpener fullDisk = (part, append) -> new FilterOutputStream(Files.newOutputStream(part)) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > 100_000) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
        Downloader d = new Downloader(3, Duration.ofMillis(10), Duration.ofSeconds(10), fullDisk);

        DownloadException e = assertThrows(DownloadException.class,
                () -> d.download(server.uri("/file.bin"), target, null, new Recorder()));

        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("cannot write"), e.getMessage());
        assertEquals(1, server.count("/file.bin"), "a disk error is not retried");
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(Downloader.partFile(target)));
    }

    @Test
    void aStalledConnectionIsAbandonedAfterTheIdleTimeoutAndRetried() throws Exception {
        server.stall("/stall.bin", BODY, 3_000);
        Path target = dir.resolve("stall.bin");
        Downloader d = new Downloader(2, Duration.ofMillis(10), Duration.ofMillis(500), Downloader::openSinkForTests);
        Recorder rec = new Recorder();

        DownloadException e = assertThrows(DownloadException.class,
                () -> d.download(server.uri("/stall.bin"), target, null, rec));

        assertTrue(e.getMessage().contains("no data received"), e.getMessage());
        assertEquals(2, server.count("/stall.bin"));
        assertTrue(rec.progress.stream().anyMatch(p -> p.bytes() > 0 && p.total() == BODY.length),
                "progress was reported while the body came in");
        assertFalse(Files.exists(target));
        assertFalse(Files.exists(Downloader.partFile(target)));
    }

    @Test
    void copiesFileUrls() throws Exception {
        Path source = dir.resolve("source.bin");
        Files.write(source, BODY);
        Path target = dir.resolve("sub/copy.bin");
        Recorder rec = new Recorder();

        downloader.download(source.toUri(), target, sha256(BODY), rec);

        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertEquals(BODY.length, rec.progress.get(rec.progress.size() - 1).total());
    }

    @Test
    void missingFileUrlIsACleanError() {
        URI missing = dir.resolve("nope.tgz").toUri();
        Path target = dir.resolve("nope.tgz.copy");
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(missing, target, null, new Recorder()));
        assertTrue(e.getMessage().contains("nope.tgz"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aStalePartFileFromAnEarlierRunIsNotTrusted() throws Exception {
        server.serve("/file.bin", BODY, LocalHttpServer.Ranges.SUPPORTED, 0);
        Path target = dir.resolve("file.bin");
        Files.write(Downloader.partFile(target), new byte[] {1, 2, 3, 4});

        downloader.download(server.uri("/file.bin"), target, sha256(BODY), new Recorder());

        assertArrayEquals(BODY, Files.readAllBytes(target));
        assertNull(server.requests().get(0).range());
    }

    @Test
    void refusedConnectionIsRetriedThenReported() throws Exception {
        URI closed;
        try (LocalHttpServer gone = new LocalHttpServer()) {
            closed = gone.uri("/x.tgz");
        }
        Path target = dir.resolve("x.tgz");
        Recorder rec = new Recorder();
        DownloadException e = assertThrows(DownloadException.class,
                () -> downloader.download(closed, target, null, rec));
        assertTrue(e.getMessage().contains(closed.toString()), e.getMessage());
        assertEquals(2, rec.infos.size(), "two retries announced: " + rec.infos);
        assertFalse(Files.exists(target));
    }

    static final class Recorder implements InstallListener {
        final List<DownloadProgress> progress = new ArrayList<>();
        final List<String> infos = new ArrayList<>();

        @Override
        public void info(String message) {
            infos.add(message);
        }

        @Override
        public void progress(DownloadProgress p) {
            progress.add(p);
        }
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
