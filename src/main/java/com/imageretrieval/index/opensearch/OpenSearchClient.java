package com.imageretrieval.index.opensearch;

import com.imageretrieval.config.OpenSearchSettings;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The REST calls the backend makes, over the JDK's {@link HttpClient} with JSON-P for the bodies.
 *
 * <p>Why not the OpenSearch Java client or its low-level REST client: both bring Apache httpclient5/httpcore5 (and
 * the Java client Jackson) into the WAR, next to the copies Payara and WildFly ship in their own modules; keeping
 * them apart per server is fragile, while the JDK client and the server's own JSON-P need nothing in WEB-INF/lib.
 * What the REST client adds (node failover, basic auth, TLS) is a few lines here.
 *
 * <p>Failover: calls start at the node after the last one that answered; a node that cannot be reached, or answers
 * 502/503/504, is skipped for the next one, so one dead node of several does not fail a search.
 */
final class OpenSearchClient {

    /** An answer: HTTP status and the parsed body (JSON null if there was none). */
    record Response(int status, JsonValue body) {
        JsonObject object() {
            return body instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** OpenSearch's error type and reason, for messages. */
        String error() {
            JsonObject o = object();
            JsonValue e = o.get("error");
            if (e instanceof JsonObject eo) {
                return eo.getString("type", "error") + ": " + eo.getString("reason", eo.toString());
            }
            return e == null ? "HTTP " + status : e.toString();
        }
    }

    private final List<URI> nodes;
    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;
    private final AtomicInteger next = new AtomicInteger();

    OpenSearchClient(OpenSearchSettings settings) throws IOException {
        this.nodes = settings.urls();
        this.timeout = Duration.ofSeconds(settings.timeoutSeconds());
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1);
        if (settings.trustStore() != null) {
            b.sslContext(sslContext(settings));
        }
        this.http = b.build();
        this.authorization = settings.username() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext sslContext(OpenSearchSettings s) throws IOException {
        char[] password = s.trustStorePassword() == null ? null : s.trustStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(s.trustStore())) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("OPENSEARCH_TRUSTSTORE " + s.trustStore() + " cannot be used: " + e.getMessage(), e);
        }
    }

    /** The nodes, for messages. */
    String nodes() {
        return nodes.toString();
    }

    Response get(String path) throws IOException {
        return send("GET", path, null, "application/json");
    }

    Response delete(String path) throws IOException {
        return send("DELETE", path, null, "application/json");
    }

    Response put(String path, JsonValue body) throws IOException {
        return send("PUT", path, body.toString(), "application/json");
    }

    Response post(String path, JsonValue body) throws IOException {
        return send("POST", path, body == null ? null : body.toString(), "application/json");
    }

    /**
     * A bulk request: newline-delimited JSON, each line ended by '\n'. Given six times the timeout: indexing a few
     * hundred vectors into HNSW graphs on every copy takes a while on a busy cluster, and a bulk retried on the next
     * node after a timeout is harmless (every action names its document id) but wasted work.
     */
    Response bulk(String path, String ndjson) throws IOException {
        return send("POST", path, ndjson, "application/x-ndjson", timeout.multipliedBy(6));
    }

    /**
     * Sends one request, trying each node once at most.
     *
     * @throws IOException if no node answered; the message names the nodes and hints at the setting to check
     */
    Response send(String method, String path, String body, String contentType) throws IOException {
        return send(method, path, body, contentType, timeout);
    }

    private Response send(String method, String path, String body, String contentType, Duration requestTimeout)
            throws IOException {
        IOException last = null;
        int start = Math.floorMod(next.get(), nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            int n = (start + i) % nodes.size();
            URI uri = URI.create(nodes.get(n) + path);
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                    .header("Accept", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                rb.header("Content-Type", contentType);
            }
            if (authorization != null) {
                rb.header("Authorization", authorization);
            }
            try {
                HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString(
                        StandardCharsets.UTF_8));
                if (r.statusCode() == 502 || r.statusCode() == 503 || r.statusCode() == 504) {
                    last = new IOException(nodes.get(n) + " answered HTTP " + r.statusCode() + ": " + r.body());
                    continue;
                }
                next.set(n);
                return new Response(r.statusCode(), parse(r.body()));
            } catch (SSLHandshakeException e) {
                last = new IOException(nodes.get(n) + ": TLS handshake failed (" + e.getMessage()
                        + "): check OPENSEARCH_TRUSTSTORE", e);
            } catch (IOException e) {
                last = new IOException(nodes.get(n) + ": " + (e.getMessage() == null ? e.toString()
                        : e.getMessage()), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while calling OpenSearch at " + nodes.get(n), e);
            }
            next.set(n + 1);
        }
        throw new IOException("no OpenSearch node of " + nodes + " answered " + method + " " + pathOnly(path)
                + " (last: " + (last == null ? "?" : last.getMessage()) + "): check OPENSEARCH_URL and that the"
                + " cluster is running", last);
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static JsonValue parse(String body) throws IOException {
        if (body == null || body.isBlank()) {
            return JsonValue.NULL;
        }
        try (JsonReader r = Json.createReader(new StringReader(body))) {
            return r.readValue();
        } catch (JsonException e) {
            // e.g. a proxy's HTML error page
            throw new IOException("OpenSearch answered something that is not JSON: "
                    + (body.length() > 200 ? body.substring(0, 200) + "..." : body), e);
        }
    }
}
