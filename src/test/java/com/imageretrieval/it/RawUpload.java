package com.imageretrieval.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Uploads written by hand on a socket, for what an HTTP client library will not send: a Content-Length that lies,
 * an endless chunked body, a body that stalls half-way. The answer is read on its own thread while the body is still
 * being written, so a server that answers early (and closes) is seen even when our writing then fails.
 */
final class RawUpload implements AutoCloseable {

    static final String BOUNDARY = "----rawupload7e3c";

    private final Socket socket;
    private final OutputStream out;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Thread reader;

    private RawUpload(URI base, String head) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    synchronized (received) {
                        received.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // reset or timeout: what arrived before counts
            }
        }, "raw upload reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** A multipart POST to /api/search whose headers are sent; the body follows with {@link #write}. */
    static RawUpload start(URI base, String framing) throws IOException {
        return start(base, base.getRawPath() + "api/search", framing);
    }

    /** The same to any request target (another spelling of the search path, say). */
    static RawUpload start(URI base, String target, String framing) throws IOException {
        return new RawUpload(base, "POST " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nConnection: close\r\n"
                + framing + "\r\n");
    }

    static byte[] partHead() {
        return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes raw bytes; false once the server has stopped reading (closed or reset). */
    boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes one chunk of a chunked body. */
    boolean chunk(byte[] bytes) {
        byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return write(size) && write(bytes) && write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Whether an answer's status line has arrived. */
    boolean answered() {
        synchronized (received) {
            return received.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n");
        }
    }

    /**
     * The answer as soon as its head and a short body have arrived, without waiting for the server to close the
     * connection (the server keeps it open to drain a refused body, up to its upload deadline).
     */
    Http.RawAnswer earlyAnswer(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            synchronized (received) {
                String all = received.toString(StandardCharsets.ISO_8859_1);
                int bodyAt = all.indexOf("\r\n\r\n");
                if (bodyAt >= 0 && (all.endsWith("}") || all.endsWith("}\r\n\r\n") || all.endsWith("0\r\n\r\n"))) {
                    break;
                }
            }
            if (!reader.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        return answer(0, TimeUnit.MILLISECONDS);
    }

    /** Waits for the server to finish answering (it closes the connection) and returns the answer. */
    Http.RawAnswer answer(long timeout, TimeUnit unit) throws IOException, InterruptedException {
        if (timeout > 0) {
            reader.join(unit.toMillis(timeout));
        }
        String all;
        synchronized (received) {
            all = received.toString(StandardCharsets.ISO_8859_1);
        }
        int sp = all.indexOf(' ');
        if (!all.startsWith("HTTP/1.") || sp < 0 || all.length() < sp + 4) {
            throw new IOException("no HTTP answer: '" + all + "'");
        }
        int bodyAt = all.indexOf("\r\n\r\n");
        return new Http.RawAnswer(Integer.parseInt(all.substring(sp + 1, sp + 4)),
                bodyAt < 0 ? "" : all.substring(bodyAt + 4), bodyAt < 0 ? all : all.substring(0, bodyAt));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
