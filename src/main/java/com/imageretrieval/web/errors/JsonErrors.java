package com.imageretrieval.web.errors;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The API's error shape ({@code {"error":..., "message":...}}) for answers written by servlets and filters, which
 * run outside JAX-RS. JSON-P (provided by both servers) does the escaping; JAX-RS answers write the same shape
 * through {@link ApiError} and JSON-B.
 */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** Writes the error with its status and Retry-After (when the catalogue has one); no-op once committed. */
    public static void write(HttpServletResponse resp, ErrorCode error, String message) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        resp.setStatus(error.status());
        error.retryAfter().ifPresent(s -> resp.setHeader("Retry-After", s));
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-store");
        byte[] body = body(error, message);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** The body as UTF-8 JSON. */
    static byte[] body(ErrorCode error, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = Json.createGenerator(out)) {
            g.writeStartObject().write("error", error.code()).write("message", message == null ? "" : message)
                    .writeEnd();
        }
        return out.toByteArray();
    }
}
