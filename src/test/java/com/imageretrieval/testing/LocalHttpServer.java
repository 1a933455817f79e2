package com.imageretrieval.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback-only HTTP server for download tests. Each path serves a byte array with a chosen behaviour: honour
 * Range requests or not, drop the connection half-way for the first N requests, answer an error status.
 */
public final class LocalHttpServer implements AutoCloseable {

    public enum Ranges { SUPPORTED, IGNORED }

    /** One request as the server saw it. */
    public record Seen(String path, String range) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> dropsLeft = new ConcurrentHashMap<>();

    public LocalHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor); // a stalled handler must not block the others
        server.start();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Seen> requests() {
        return List.copyOf(requests);
    }

    public long count(String path) {
        return requests.stream().filter(s -> s.path().equals(path)).count();
    }

    /** Serves {@code body}; the first {@code drops} requests get the headers and half the bytes, then a closed socket. */
    public LocalHttpServer serve(String path, byte[] body, Ranges ranges, int drops) {
        dropsLeft.put(path, new AtomicInteger(drops));
        server.createContext(path, ex -> {
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(new Seen(path, range));
            long from = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            boolean partial = ranges == Ranges.SUPPORTED && m != null && m.matches();
            if (partial) {
                from = Long.parseLong(m.group(1));
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            }
            if (ranges == Ranges.SUPPORTED) {
                ex.getResponseHeaders().add("Accept-Ranges", "bytes");
                ex.getResponseHeaders().add("ETag", "\"v1\"");
            }
            int length = body.length - (int) from;
            ex.sendResponseHeaders(partial ? 206 : 200, length);
            OutputStream out = ex.getResponseBody();
            if (dropsLeft.get(path).getAndDecrement() > 0) {
                out.write(body, (int) from, length / 2);
                out.flush();
                // An exception out of a handler makes the server close the connection: the client sees a short body.
                throw new IOException("connection dropped on purpose");
            }
            out.write(body, (int) from, length);
            out.close();
        });
        return this;
    }

    /** Answers {@code status} with a short text body. */
    public LocalHttpServer status(String path, int status) {
        server.createContext(path, ex -> {
            requests.add(new Seen(path, ex.getRequestHeaders().getFirst("Range")));
            byte[] text = ("status " + status).getBytes();
            ex.sendResponseHeaders(status, text.length);
            ex.getResponseBody().write(text);
            ex.close();
        });
        return this;
    }

    /** Redirects to {@code to}. */
    public LocalHttpServer redirect(String path, String to) {
        server.createContext(path, ex -> {
            requests.add(new Seen(path, null));
            ex.getResponseHeaders().add("Location", to);
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        return this;
    }

    /** Sends the headers and half the body, then goes silent for {@code stallMillis} before dropping. */
    public LocalHttpServer stall(String path, byte[] body, long stallMillis) {
        server.createContext(path, ex -> {
            requests.add(new Seen(path, ex.getRequestHeaders().getFirst("Range")));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body, 0, body.length / 2);
            ex.getResponseBody().flush();
            try {
                Thread.sleep(stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stalled on purpose");
        });
        return this;
    }

    /**
     * What a {@link #drip} handler saw: bytes sent, and whether a client closed its connection before the end (the
     * handler's write failed), which is how a test sees that a download was really stopped.
     */
    public static final class Drip {
        private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.CountDownLatch closedByClient = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
        private final AtomicInteger active = new AtomicInteger();

        public long sent() {
            return sent.get();
        }

        /** Connections being dripped to right now. */
        public int active() {
            return active.get();
        }

        public boolean awaitClosedByClient(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
            return closedByClient.await(timeout, unit);
        }

        /** From now on the path answers 404 (a later deployment must not start another long download). */
        public void stop() {
            open.set(false);
        }
    }

    /**
     * Announces {@code length} bytes and sends them {@code chunk} bytes every {@code everyMillis} (zeros: a download
     * that never completes within a test); answers 404 once {@link Drip#stop()} was called.
     */
    public Drip drip(String path, long length, int chunk, long everyMillis) {
        Drip drip = new Drip();
        server.createContext(path, ex -> {
            requests.add(new Seen(path, ex.getRequestHeaders().getFirst("Range")));
            if (!drip.open.get()) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            drip.active.incrementAndGet();
            try {
                ex.sendResponseHeaders(200, length);
                OutputStream out = ex.getResponseBody();
                byte[] block = new byte[chunk];
                for (long left = length; left > 0; left -= chunk) {
                    out.write(block, 0, (int) Math.min(chunk, left));
                    out.flush();
                    drip.sent.addAndGet(Math.min(chunk, left));
                    Thread.sleep(everyMillis);
                }
                out.close();
            } catch (IOException closed) {
                drip.closedByClient.countDown();
                throw closed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                drip.active.decrementAndGet();
            }
        });
        return drip;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
