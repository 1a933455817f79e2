package com.imageretrieval.web.files;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.web.errors.JsonErrors;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Streams dataset images under STATIC_PREFIX with their content type and validators (ETag, Last-Modified), so
 * browsers revalidate cheaply; 404 (JSON) for everything {@link DatasetFiles} refuses.
 */
public class DatasetServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** Dataset images change rarely and are revalidated by ETag after this many seconds. */
    static final String CACHE_CONTROL = "public, max-age=3600";

    private final transient DatasetFiles files;

    public DatasetServlet(DatasetFiles files) {
        this.files = files;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Optional<Path> found = files.resolve(req.getPathInfo());
        if (found.isEmpty()) {
            JsonErrors.write(resp, ErrorCode.NOT_FOUND, "no such image: " + req.getRequestURI());
            return;
        }
        Path file = found.get();
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        long lastModified = attrs.lastModifiedTime().toMillis();
        String etag = "\"" + Long.toHexString(attrs.size()) + "-" + Long.toHexString(lastModified) + "\"";
        resp.setHeader("Cache-Control", CACHE_CONTROL);
        resp.setHeader("ETag", etag);
        resp.setDateHeader("Last-Modified", lastModified);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        if (notModified(req, etag, lastModified)) {
            resp.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        resp.setContentType(DatasetFiles.contentType(file.getFileName().toString()).orElseThrow());
        resp.setContentLengthLong(attrs.size());
        if (!"HEAD".equals(req.getMethod())) {
            Files.copy(file, resp.getOutputStream());
        }
    }

    private static boolean notModified(HttpServletRequest req, String etag, long lastModified) {
        String inm = req.getHeader("If-None-Match");
        if (inm != null) {
            // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
            for (String tag : inm.split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false;
        }
        long ims;
        try {
            ims = req.getDateHeader("If-Modified-Since");
        } catch (IllegalArgumentException e) {
            return false;
        }
        return ims >= 0 && lastModified / 1000 <= ims / 1000;
    }
}
