package com.imageretrieval.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A small HTTP client for the suite: JSON answers, multipart uploads, and raw request lines for traversal tests. */
final class Http {

    /** One answer; the body as bytes so images compare exactly. */
    record Answer(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(text()))) {
                return r.readObject();
            } catch (RuntimeException e) {
                throw new AssertionError("not a JSON object (HTTP " + status + "): " + abbreviated(), e);
            }
        }

        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        String contentType() {
            return header("Content-Type").orElse("");
        }

        String abbreviated() {
            String t = text();
            return t.length() > 400 ? t.substring(0, 400) + "..." : t;
        }
    }

    /** One multipart/form-data part. */
    record Part(String name, String fileName, String contentType, byte[] content) {
        static Part field(String name, String value) {
            return new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8));
        }

        static Part file(String name, String fileName, String contentType, byte[] content) {
            return new Part(name, fileName, contentType, content);
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    /** The context root without its trailing slash ("" at the server root), put before every path of the suite. */
    private final String root;

    /** base: the application's base URL as {@link ServerProcess#base()} gives it (context root, trailing slash). */
    Http(URI base) {
        this.base = base;
        this.root = base.getRawPath().replaceAll("/+$", "");
    }

    /** The suite writes paths from the application's root ("/api/health"); this puts the context root before them. */
    private URI uri(String path) {
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + root + path);
    }

    /** The context root the server deploys the WAR under ("" for "/"), as the API's URLs start with it. */
    String contextPath() {
        return root;
    }

    Answer get(String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    Answer post(String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    Answer method(String method, String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()),
                headers);
    }

    Answer multipart(String path, List<Part> parts, String... headers) throws IOException, InterruptedException {
        String boundary = "----it" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
            if (p.fileName() != null) {
                h.append("; filename=\"").append(p.fileName()).append('"');
            }
            h.append("\r\n");
            if (p.contentType() != null) {
                h.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            h.append("\r\n");
            out.write(h.toString().getBytes(StandardCharsets.UTF_8));
            out.write(p.content());
            out.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return post(path, "multipart/form-data; boundary=" + boundary, out.toByteArray(), headers);
    }

    private Answer send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = client.send(b.timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), r.headers(), r.body());
    }

    /**
     * Sends the request target exactly as given (no client-side normalisation or encoding), HTTP/1.1 with
     * Connection: close, and returns the status code and the body.
     */
    RawAnswer raw(String requestTarget) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + root + requestTarget + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int sp = all.indexOf(' ');
            if (!all.startsWith("HTTP/1.") || sp < 0 || all.length() < sp + 4) {
                throw new IOException("not an HTTP answer to " + requestTarget + ": " + all);
            }
            int status = Integer.parseInt(all.substring(sp + 1, sp + 4));
            int bodyAt = all.indexOf("\r\n\r\n");
            return new RawAnswer(status, bodyAt < 0 ? "" : all.substring(bodyAt + 4),
                    bodyAt < 0 ? all : all.substring(0, bodyAt));
        }
    }

    record RawAnswer(int status, String body, String head) {
    }

    /** Reads a Server-Sent Events stream until the server closes it; returns the event names and data lines. */
    List<String[]> events(String path, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<java.util.stream.Stream<String>> r = client.send(HttpRequest.newBuilder(uri(path))
                .header("Accept", "text/event-stream").timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (r.statusCode() != 200) {
            throw new AssertionError("SSE " + path + " answered " + r.statusCode());
        }
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            throw new AssertionError("SSE content type: " + r.headers().firstValue("Content-Type"));
        }
        List<String[]> events = new ArrayList<>();
        String[] name = {"message"};
        StringBuilder data = new StringBuilder();
        try (java.util.stream.Stream<String> lines = r.body()) {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new String[] {name[0], data.toString()});
                    }
                    name[0] = "message";
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name[0] = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                }
            });
        }
        if (data.length() > 0) {
            events.add(new String[] {name[0], data.toString()});
        }
        return events;
    }
}
