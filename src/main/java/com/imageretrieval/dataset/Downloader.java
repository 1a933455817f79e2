package com.imageretrieval.dataset;

import com.imageretrieval.common.Checksums;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches one URL (http, https or file) to a file, safely: the bytes go to {@code <target>.part}, a dropped
 * connection is retried (resuming with a Range request when the server honours it, else from the start), the
 * optional SHA-256 is checked, and only then is the file moved into place atomically. Whatever fails, nothing is left
 * at the target path and the {@code .part} file is removed.
 */
public final class Downloader {

    public static final int DEFAULT_ATTEMPTS = 3;

    /** Opens the file the bytes are written to; tests replace it to simulate a full disk. */
    @FunctionalInterface
    interface SinkOpener {
        OutputStream open(Path part, boolean append) throws IOException;
    }

    private static final long POLL_MILLIS = 200;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    private final HttpClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration idleTimeout;
    private final SinkOpener sinkOpener;

    /** Three attempts, one second before the first retry (doubling), 60 s without data counts as a failure. */
    public Downloader() {
        this(DEFAULT_ATTEMPTS, Duration.ofSeconds(1));
    }

    public Downloader(int maxAttempts, Duration initialBackoff) {
        this(maxAttempts, initialBackoff, Duration.ofSeconds(60), Downloader::openSink);
    }

    /**
     * @param idleTimeout how long a response may take to start, or a body may stall, before the try is abandoned
     */
    Downloader(int maxAttempts, Duration initialBackoff, Duration idleTimeout, SinkOpener sinkOpener) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = Objects.requireNonNull(initialBackoff);
        this.idleTimeout = Objects.requireNonNull(idleTimeout);
        this.sinkOpener = Objects.requireNonNull(sinkOpener);
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** The partial file used while downloading to {@code target}. */
    public static Path partFile(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    /**
     * Downloads {@code url} to {@code target}.
     *
     * @param expectedSha256 lower-case hex digest to verify, or null to skip the check
     * @return the target path
     * @throws DownloadException when the download failed for good; nothing is then at {@code target}
     * @throws IOException       when the target folder cannot be created
     */
    public Path download(URI url, Path target, String expectedSha256, InstallListener listener) throws IOException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(listener, "listener");
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        Path part = partFile(absolute);
        // A .part from an earlier run cannot be matched to this URL's current content: start clean.
        Files.deleteIfExists(part);
        boolean done = false;
        try {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            switch (scheme) {
                case "file" -> copyLocal(url, part, listener);
                case "http", "https" -> fetchWithRetries(url, part, listener);
                default -> throw new DownloadException("cannot download " + url + ": only http, https and file URLs");
            }
            if (expectedSha256 != null) {
                verify(url, part, expectedSha256);
            }
            moveIntoPlace(part, absolute);
            done = true;
            return absolute;
        } finally {
            if (!done) {
                Files.deleteIfExists(part);
            }
        }
    }

    private void copyLocal(URI url, Path part, InstallListener listener) throws IOException {
        Path source;
        try {
            source = Path.of(url);
        } catch (RuntimeException e) {
            throw new DownloadException("cannot download " + url + ": not a valid file URL");
        }
        if (!Files.isRegularFile(source)) {
            throw new DownloadException("cannot download " + url + ": no such file " + source);
        }
        long total = Files.size(source);
        try (InputStream in = Files.newInputStream(source)) {
            long got = copy(url, in, part, total, listener);
            if (got != total) {
                throw new DownloadException("cannot download " + url + ": read " + got + " of " + total + " bytes");
            }
        }
    }

    private void fetchWithRetries(URI url, Path part, InstallListener listener) throws IOException {
        ResumeState state = new ResumeState();
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                attempt(url, part, state, listener);
                return;
            } catch (DownloadException permanent) {
                throw permanent;
            } catch (IOException e) {
                last = e;
                if (attempt < maxAttempts) {
                    Duration wait = initialBackoff.multipliedBy(1L << (attempt - 1));
                    listener.info("download of " + url + " failed (" + describe(e) + "); try " + (attempt + 1)
                            + " of " + maxAttempts + " in " + wait.toMillis() + " ms");
                    sleep(wait);
                }
            }
        }
        throw new DownloadException("download of " + url + " failed after " + maxAttempts + " tries: "
                + describe(last), last);
    }

    /** What the first response told us, so a retry can ask for the rest of the same file. */
    private static final class ResumeState {
        String validator;      // strong ETag or Last-Modified, sent as If-Range
        boolean acceptsRanges; // the server said "Accept-Ranges: bytes" or already answered a range with 206
    }

    private void attempt(URI url, Path part, ResumeState state, InstallListener listener) throws IOException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        boolean askRange = have > 0 && state.acceptsRanges;
        if (have > 0 && !askRange) {
            Files.delete(part); // the server cannot resume: start over
            have = 0;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(idleTimeout)
                .header("User-Agent", "image-retrieval-downloader")
                .GET();
        if (askRange) {
            request.header("Range", "bytes=" + have + "-");
            if (state.validator != null) {
                request.header("If-Range", state.validator);
            }
        }
        Transfer transfer = new Transfer(url, part, have, askRange, state);
        CompletableFuture<HttpResponse<Void>> future =
                client.sendAsync(request.build(), transfer);
        long start = System.nanoTime();
        try {
            // Poll rather than block: progress is reported from the caller's thread, and a connection that stops
            // sending (no error, no data) is abandoned after the idle timeout instead of hanging for ever.
            while (true) {
                try {
                    future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException poll) {
                    if (transfer.started) {
                        listener.progress(new DownloadProgress(transfer.size(), transfer.total,
                                rate(transfer.written, start), false));
                    }
                    if (System.nanoTime() - transfer.lastActivity > idleTimeout.toNanos()) {
                        future.cancel(true);
                        transfer.abort();
                        throw new IOException("no data received for " + idleTimeout.toSeconds() + " s");
                    }
                }
            }
        } catch (ExecutionException e) {
            if (transfer.failure != null) {
                throw transfer.failure;
            }
            Throwable cause = e.getCause() instanceof CompletionException && e.getCause().getCause() != null
                    ? e.getCause().getCause() : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(describe(cause), cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            transfer.abort();
            Thread.currentThread().interrupt();
            throw new DownloadException("download of " + url + " was interrupted");
        } finally {
            transfer.closeSink();
        }
        if (transfer.failure != null) {
            throw transfer.failure;
        }
        long size = transfer.size();
        if (transfer.total >= 0 && size != transfer.total) {
            throw new IOException("connection closed after " + size + " of " + transfer.total + " bytes");
        }
        listener.progress(new DownloadProgress(size, transfer.total, rate(transfer.written, start), true));
    }

    /**
     * One HTTP exchange: decides from the status line whether the body is wanted, then streams it into the part file
     * as it arrives. Write errors (disk full) are {@link DownloadException}s, never retried: another try would fail
     * the same way. Fields read by the polling thread are volatile.
     */
    private final class Transfer implements HttpResponse.BodyHandler<Void>, HttpResponse.BodySubscriber<Void> {
        private final URI url;
        private final Path part;
        private final boolean askedRange;
        private final ResumeState state;
        private final CompletableFuture<Void> result = new CompletableFuture<>();
        private volatile long have;
        private volatile long total = -1;
        private volatile long written;
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean started;
        private volatile IOException failure;
        private volatile OutputStream sink;
        private Flow.Subscription subscription;

        Transfer(URI url, Path part, long have, boolean askedRange, ResumeState state) {
            this.url = url;
            this.part = part;
            this.have = have;
            this.askedRange = askedRange;
            this.state = state;
        }

        long size() {
            return have + written;
        }

        @Override
        public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
            lastActivity = System.nanoTime();
            int status = info.statusCode();
            boolean append;
            if (status == 206 && askedRange) {
                Matcher m = CONTENT_RANGE.matcher(info.headers().firstValue("Content-Range").orElse(""));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    state.acceptsRanges = false; // an answer we cannot splice: the next try starts over
                    return reject(new IOException("unexpected Content-Range in the answer to a range request"));
                }
                append = true;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else if (status == 200) {
                append = false;
                have = 0;
                OptionalLong length = info.headers().firstValueAsLong("Content-Length");
                total = length.isPresent() ? length.getAsLong() : -1;
                rememberValidator(info, state);
            } else if (status == 416 && askedRange) {
                state.acceptsRanges = false;
                return reject(new IOException("server refused the range request (HTTP 416)"));
            } else if (status >= 500 || status == 408 || status == 429) {
                return reject(new IOException("HTTP " + status));
            } else {
                // 4xx and anything unexpected: a retry would get the same answer.
                return reject(new DownloadException("cannot download " + url + ": HTTP " + status + reason(status)));
            }
            try {
                sink = sinkOpener.open(part, append);
            } catch (IOException e) {
                return reject(new DownloadException("cannot write " + part + ": " + describe(e), e));
            }
            started = true;
            return this;
        }

        private HttpResponse.BodySubscriber<Void> reject(IOException why) {
            failure = why;
            return HttpResponse.BodySubscribers.replacing(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer b : buffers) {
                    int n = b.remaining();
                    if (b.hasArray()) {
                        sink.write(b.array(), b.arrayOffset() + b.position(), n);
                    } else {
                        byte[] copy = new byte[n];
                        b.get(copy);
                        sink.write(copy);
                    }
                    written += n;
                }
            } catch (IOException e) {
                failure = new DownloadException("cannot write " + part + ": " + describe(e), e);
                subscription.cancel();
                result.completeExceptionally(failure);
                return;
            }
            lastActivity = System.nanoTime();
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return result;
        }

        void abort() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            result.cancel(false);
        }

        void closeSink() throws IOException {
            OutputStream s = sink;
            if (s != null) {
                sink = null;
                try {
                    s.close();
                } catch (IOException e) {
                    throw new DownloadException("cannot write " + part + ": " + describe(e), e);
                }
            }
        }
    }

    private static void rememberValidator(HttpResponse.ResponseInfo info, ResumeState state) {
        state.acceptsRanges = info.headers().firstValue("Accept-Ranges")
                .map(v -> v.toLowerCase(Locale.ROOT).contains("bytes")).orElse(false);
        Optional<String> etag = info.headers().firstValue("ETag").filter(e -> !e.startsWith("W/"));
        state.validator = etag.or(() -> info.headers().firstValue("Last-Modified")).orElse(null);
    }

    /** Copies a local file into the part file, reporting progress. */
    private long copy(URI url, InputStream in, Path part, long total, InstallListener listener) throws IOException {
        long start = System.nanoTime();
        long written = 0;
        byte[] buffer = new byte[1 << 16];
        OutputStream out;
        try {
            out = sinkOpener.open(part, false);
        } catch (IOException e) {
            throw new DownloadException("cannot write " + part + ": " + describe(e), e);
        }
        try (out) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new DownloadException("cannot write " + part + ": " + describe(e), e);
                }
                written += n;
                listener.progress(new DownloadProgress(written, total, rate(written, start), false));
            }
        }
        listener.progress(new DownloadProgress(written, total, rate(written, start), true));
        return written;
    }

    /** The real sink, for tests that only change the timeouts. */
    static OutputStream openSinkForTests(Path part, boolean append) throws IOException {
        return openSink(part, append);
    }

    private static OutputStream openSink(Path part, boolean append) throws IOException {
        return Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static double rate(long bytes, long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? bytes / seconds : 0;
    }

    private static void verify(URI url, Path part, String expected) throws IOException {
        String actual = Checksums.sha256Hex(part);
        if (!actual.equalsIgnoreCase(expected)) {
            throw new DownloadException("SHA-256 mismatch for " + url + ": expected " + expected.toLowerCase(Locale.ROOT)
                    + ", got " + actual + " (the file was discarded)");
        }
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Same folder, so this is rare (some network file systems); a plain rename is the best left.
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void sleep(Duration wait) throws DownloadException {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("download interrupted while waiting to retry");
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (e instanceof InterruptedIOException && m == null) {
            return "timed out";
        }
        return m == null || m.isBlank() ? type : (e instanceof DownloadException ? m : type + ": " + m);
    }

    private static String reason(int status) {
        return switch (status) {
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 410 -> " Gone";
            default -> "";
        };
    }
}
