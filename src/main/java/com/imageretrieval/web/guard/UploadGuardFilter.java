package com.imageretrieval.web.guard;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.web.EngineService;
import com.imageretrieval.web.SearchGate;
import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.web.errors.JsonErrors;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Guards every request that carries a body, whatever its path, before anything parses a byte of it. It is mapped to
 * {@code /*} and chooses by method and headers, not by URL: a URL pattern would miss the other spellings that JAX-RS
 * routes to the same resource (trailing or double slash, {@code ;param}, encoded characters).
 * <ul>
 *   <li>a declared Content-Length above the limit is answered 413 at once, without reading the body;</li>
 *   <li>at most MAX_CONCURRENT_SEARCHES + MAX_QUEUED_SEARCHES such requests are admitted ({@link SearchGate}); one
 *       more gets 503 with Retry-After before its body is read, so memory stays bounded under any load;</li>
 *   <li>the body is read through {@link BoundedInputStream}: bytes counted (413), multipart parts counted (400 at the
 *       ninth part), and a whole-request deadline of UPLOAD_TIMEOUT_S (408): at the deadline a watchdog frees the
 *       admission place and interrupts a read blocked on a stalled client.</li>
 * </ul>
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true) // async: the SSE resource suspends its request
public class UploadGuardFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** Room for the multipart boundaries, part headers and the small form fields around the image. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    /** The search form has four fields; a body of many small parts is refused while it streams. */
    public static final int MAX_PARTS = 8;
    /** Methods whose requests carry a body by definition (others are guarded when they declare one). */
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    @Inject
    transient EngineService service;

    @Resource
    transient ManagedScheduledExecutorService watchdog;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (!hasBody(req)) {
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
        long timeoutS = cfg.uploadTimeoutSeconds();
        Guarded guarded = new Guarded(req, new BoundedInputStream(req.getInputStream(), limit, tooLarge,
                MultipartPartCounter.forContentType(req.getContentType(), MAX_PARTS).orElse(null),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS),
                "the upload did not arrive within UPLOAD_TIMEOUT_S=" + timeoutS + " s"));
        SearchGate.Ticket admitted = ticket.get();
        ScheduledFuture<?> timer = watchdog == null ? null : watchdog.schedule(() -> {
            // A stalled client must not keep its place: free it now, and wake the thread blocked on its bytes.
            if (!guarded.stream.complete()) {
                admitted.close();
                guarded.stream.expire();
            }
        }, timeoutS, TimeUnit.SECONDS);
        try {
            chain.doFilter(guarded, resp);
        } catch (IOException | ServletException | RuntimeException e) {
            // Where a framework lets the stream's failure escape instead of mapping it, answer it here.
            Optional<UploadRefusedException> refused = UploadRefusedException.in(e);
            if (refused.isEmpty() || resp.isCommitted()) {
                throw e;
            }
            resp.setHeader("Connection", "close");
            JsonErrors.write(resp, refused.get().error(), refused.get().getMessage());
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
            admitted.close();
            Thread.interrupted(); // never hand the container a thread with our watchdog's interrupt pending
        }
    }

    /** POST, PUT and PATCH always; any other method when it declares a body. */
    static boolean hasBody(HttpServletRequest req) {
        return BODY_METHODS.contains(req.getMethod().toUpperCase(Locale.ROOT)) || req.getContentLengthLong() > 0
                || req.getHeader("Transfer-Encoding") != null;
    }

    /** The request with its body guarded. */
    private static final class Guarded extends HttpServletRequestWrapper {
        final BoundedInputStream stream;

        Guarded(HttpServletRequest req, BoundedInputStream stream) {
            super(req);
            this.stream = stream;
        }

        @Override
        public ServletInputStream getInputStream() {
            return stream;
        }

        @Override
        public BufferedReader getReader() throws UnsupportedEncodingException {
            String cs = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(stream, cs == null ? "UTF-8" : cs));
        }
    }
}
