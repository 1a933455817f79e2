package com.imageretrieval.web.guard;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.web.errors.JsonErrors;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.web.EngineService;
import com.imageretrieval.web.SearchGate;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Guards the upload endpoint before the framework parses a byte of the body:
 * <ul>
 *   <li>a declared Content-Length above the limit is answered 413 at once, without reading the body;</li>
 *   <li>the body is counted while it streams ({@link BoundedInputStream}): a chunked or lying body fails at the limit
 *       and the answer is 413, so the multipart parser never holds more than MAX_UPLOAD_MB;</li>
 *   <li>at most MAX_CONCURRENT_SEARCHES + MAX_QUEUED_SEARCHES searches are admitted ({@link SearchGate}); one more
 *       gets 503 with Retry-After before its body is read, so memory stays bounded under any load.</li>
 * </ul>
 */
@WebFilter(urlPatterns = "/api/search")
public class UploadGuardFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** Room for the multipart boundaries, part headers and the small topK field around the image. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;

    @Inject
    transient EngineService service;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(req.getMethod())) {
            chain.doFilter(req, resp);
            return;
        }
        AppConfig cfg = service.config();
        long limit = cfg.maxUploadBytes() + MULTIPART_OVERHEAD;
        String tooLarge = "the upload is larger than MAX_UPLOAD_MB=" + cfg.maxUploadMb() + " MB";
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            resp.setHeader("Connection", "close"); // the rest of the body is not read
            JsonErrors.write(resp, ErrorCode.TOO_LARGE, tooLarge + " (Content-Length: " + declared + ")");
            return;
        }
        Optional<SearchGate.Ticket> ticket = service.searchGate().tryAdmit();
        if (ticket.isEmpty()) {
            resp.setHeader("Connection", "close");
            JsonErrors.write(resp, ErrorCode.OVERLOADED, service.searchGate().overloadMessage());
            return;
        }
        try (SearchGate.Ticket admitted = ticket.get()) {
            chain.doFilter(new Bounded(req, limit, tooLarge), resp);
        } catch (IOException | ServletException | RuntimeException e) {
            // Where a framework lets the stream's failure escape instead of mapping it, answer it here.
            if (UploadTooLargeException.in(e).isEmpty() || resp.isCommitted()) {
                throw e;
            }
            resp.setHeader("Connection", "close");
            JsonErrors.write(resp, ErrorCode.TOO_LARGE, tooLarge);
        }
    }

    /** The request with its body counted. */
    private static final class Bounded extends HttpServletRequestWrapper {
        private final long limit;
        private final String message;
        private ServletInputStream stream;

        Bounded(HttpServletRequest req, long limit, String message) {
            super(req);
            this.limit = limit;
            this.message = message;
        }

        @Override
        public synchronized ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new BoundedInputStream(super.getInputStream(), limit, message);
            }
            return stream;
        }
    }
}
