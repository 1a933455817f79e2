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
 *       admission place and interrupts a read blocked on a stalled client;</li>
 *   <li>a request answered before its body was read to the end (each refusal above, or an answer that never needed
 *       the body) has the rest of its body drained, bounded in bytes, in time and in number, so that the client
 *       reads the answer instead of a connection reset (see "Draining" in the code).</li>
 * </ul>
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true) // async: the SSE resource suspends its request
public class UploadGuardFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /** Room for the multipart boundaries, part headers and the small form fields around the image. */
    static final long MULTIPART_OVERHEAD = 64 * 1024;
    /** The search form has four fields; a body of many small parts is refused while it streams. */
    public static final int MAX_PARTS = 8;
    /**
     * The most of an unread body dropped after its answer, so that the client can read that answer (see "Draining"
     * below); a Content-Length further than this over the limit is not drained at all.
     */
    static final long DRAIN_BYTES = 64L * 1024 * 1024;
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
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            resp.setHeader("Connection", "close");
            JsonErrors.write(resp, ErrorCode.TOO_LARGE, tooLarge(cfg) + " (Content-Length: " + declared + ")");
            if (declared - limit <= DRAIN_BYTES) {
                drainUnread(req, resp, cfg);
            }
            return;
        }
        Optional<SearchGate.Ticket> ticket = service.searchGate().tryAdmit();
        if (ticket.isEmpty()) {
            resp.setHeader("Connection", "close");
            JsonErrors.write(resp, ErrorCode.OVERLOADED, service.searchGate().overloadMessage());
            drainUnread(req, resp, cfg);
            return;
        }
        try (SearchGate.Ticket admitted = ticket.get(); Watched body = watch(req, admitted, limit,
                MultipartPartCounter.forContentType(req.getContentType(), MAX_PARTS).orElse(null), cfg)) {
            try {
                chain.doFilter(body.request, resp);
            } catch (IOException | ServletException | RuntimeException e) {
                // Where a framework lets the stream's failure escape instead of mapping it, answer it here.
                Optional<UploadRefusedException> refused = UploadRefusedException.in(e);
                if (refused.isEmpty() || resp.isCommitted()) {
                    throw e;
                }
                resp.setHeader("Connection", "close");
                JsonErrors.write(resp, refused.get().error(), refused.get().getMessage());
            }
            admitted.close(); // the search is over: its place goes back before any drain
            if (!req.isAsyncStarted()) {
                drainUnread(req, resp, body.request.stream);
            }
        }
    }

    /*
     * Draining. A request answered before its body was read to the end (a refusal from its Content-Length, a full
     * gate, a refusal while the body streamed, an answer that never needed the body) leaves the client's bytes unread.
     * Closing the connection on unread bytes makes the kernel reset it, and a client that writes its whole body before
     * it reads (browsers, java.net.http, most libraries) then sees "connection reset" instead of the answer. So the
     * answer is flushed first (a client that reads while it sends stops at once), then the rest of the body is read
     * and dropped: at most DRAIN_BYTES, until the upload deadline, on one of the gate's drain places. With no place
     * free, the container closes at once, as before.
     */

    /** Drains a body nothing has read (the request was answered from its headers). */
    private void drainUnread(HttpServletRequest req, HttpServletResponse resp, AppConfig cfg) throws IOException {
        if (awaitsGoAhead(req)) {
            return;
        }
        Optional<SearchGate.Ticket> place = service.searchGate().tryDrain();
        if (place.isPresent()) {
            try (SearchGate.Ticket p = place.get(); Watched body = watch(req, null, DRAIN_BYTES, null, cfg)) {
                drain(resp, body.request.stream);
            }
        }
    }

    /** Drains what is left of a guarded body after its answer, if anything is. */
    private void drainUnread(HttpServletRequest req, HttpServletResponse resp, BoundedInputStream body) {
        if (body.bodyLeft() && !(body.count() == 0 && awaitsGoAhead(req))) {
            service.searchGate().tryDrain().ifPresent(place -> {
                try (place) {
                    drain(resp, body);
                }
            });
        }
    }

    /**
     * A client that sent {@code Expect: 100-continue} sends its body only after a go-ahead, which the container gives
     * at the first read. Until then nothing is coming: answered instead, the client sends no body, so there is nothing
     * to drain (and a read now could make the container send the go-ahead after the answer). Both drains ask this.
     */
    private static boolean awaitsGoAhead(HttpServletRequest req) {
        return "100-continue".equalsIgnoreCase(req.getHeader("Expect"));
    }

    private static void drain(HttpServletResponse resp, BoundedInputStream body) {
        try {
            resp.flushBuffer();
        } catch (IOException e) {
            return; // the client is gone
        }
        body.discard(DRAIN_BYTES);
    }

    /**
     * The body of {@code req} guarded: read through {@link BoundedInputStream} under the watchdog's deadline, which
     * also gives back {@code place} (the search's admission, or null) when the client stalls.
     */
    private Watched watch(HttpServletRequest req, SearchGate.Ticket place, long limit, MultipartPartCounter parts,
            AppConfig cfg) throws IOException {
        long timeoutS = cfg.uploadTimeoutSeconds();
        BoundedInputStream stream = new BoundedInputStream(req.getInputStream(), limit, tooLarge(cfg), parts,
                System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS),
                "the upload did not arrive within UPLOAD_TIMEOUT_S=" + timeoutS + " s");
        ScheduledFuture<?> timer = watchdog == null ? null : watchdog.schedule(() -> {
            // A stalled client must not keep its place: free it now, and wake the thread blocked on its bytes.
            if (!stream.complete()) {
                if (place != null) {
                    place.close();
                }
                stream.expire();
            }
        }, timeoutS, TimeUnit.SECONDS);
        return new Watched(new Guarded(req, stream), timer);
    }

    private static String tooLarge(AppConfig cfg) {
        return "the upload is larger than MAX_UPLOAD_MB=" + cfg.maxUploadMb() + " MB";
    }

    /** A guarded request in flight and the watchdog timer that expires its body. */
    private static final class Watched implements AutoCloseable {
        final Guarded request;
        final ScheduledFuture<?> timer;

        Watched(Guarded request, ScheduledFuture<?> timer) {
            this.request = request;
            this.timer = timer;
        }

        @Override
        public void close() {
            if (timer != null) {
                timer.cancel(false);
            }
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
