package com.imageretrieval.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The leanest HTTP/1.1 client for latency measurements: one blocking socket kept alive, the request written in one
 * go, the answer read on the calling thread (Content-Length or chunked). java.net.http.HttpClient hands every
 * exchange to its selector and executor threads; on a loaded 2-core machine each hand-off waits for a core, which
 * is latency of the benchmark, not of the server under test. Not thread-safe: one per client thread.
 */
final class KeepAliveClient implements AutoCloseable {

    /** Status and body of one answer. */
    record Answer(int status, byte[] body) {
    }

    private final URI base;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    KeepAliveClient(URI base) {
        this.base = base;
    }

    Answer post(String pathAndQuery, String contentType, byte[] body) throws IOException {
        String head = "POST " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nAccept: application/json\r\n\r\n";
        for (int attempt = 0; ; attempt++) {
            try {
                connect();
                byte[] h = head.getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[h.length + body.length];
                System.arraycopy(h, 0, all, 0, h.length);
                System.arraycopy(body, 0, all, h.length, body.length);
                out.write(all);
                out.flush();
                return read();
            } catch (IOException e) {
                close(); // the server closed an idle connection: one fresh try
                if (attempt > 0) {
                    throw e;
                }
            }
        }
    }

    private void connect() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(120_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = socket.getOutputStream();
        }
    }

    private Answer read() throws IOException {
        String status = line();
        if (status.isEmpty()) {
            throw new IOException("connection closed");
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
            close = true;
        }
        if (close) {
            close();
        }
        return new Answer(code, body.toByteArray());
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != -1; c = in.read()) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
