package com.imageretrieval.web.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.util.Map;

/**
 * The browser security headers on everything the application serves: pages, JSP, static files, dataset images, API
 * answers and the container's error answers (the ERROR dispatch runs this filter again, after the container may
 * have reset the response for its error page).
 *
 * <p>The headers are set before the chain runs, so they are there even when a servlet commits the answer early
 * (a streamed image, a Server-Sent Events stream). The pages are built for this policy: no inline script or style,
 * no {@code on*} attribute, only same-origin resources. An answer that turns out to be an image (a dataset image,
 * the SVG icon) gets {@link #IMAGE_POLICY} instead, chosen when its content type is set.
 */
@WebFilter(filterName = "securityHeaders", urlPatterns = "/*", asyncSupported = true, dispatcherTypes = {
        DispatcherType.REQUEST, DispatcherType.FORWARD, DispatcherType.INCLUDE, DispatcherType.ERROR,
        DispatcherType.ASYNC})
public class SecurityHeadersFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    /**
     * Same origin only. {@code img-src blob:} is the search page's preview of the chosen file
     * ({@code URL.createObjectURL}); {@code connect-src 'self'} covers fetch, XHR and the progress EventSource;
     * {@code form-action 'self'} keeps the search form (which works without script) on this server.
     */
    public static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    /**
     * For images opened on their own: nothing may run or load (an SVG's scripts included), but the browser's own
     * image viewer styles its page with inline styles, which the page policy would refuse (and report in the
     * console) every time a full-size image is opened.
     */
    public static final String IMAGE_POLICY = String.join("; ",
            "default-src 'none'",
            "img-src 'self'",
            "style-src 'unsafe-inline'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    /** Header name to value. */
    public static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            // The dataset's paths stay on this server: other sites never see which image was open.
            "Referrer-Policy", "same-origin");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        apply(resp);
        chain.doFilter(req, new ImagePolicyWhenImage(resp));
    }

    /** Sets the headers (replacing any earlier value), unless the answer is already on its way. */
    public static void apply(HttpServletResponse resp) {
        if (resp.isCommitted()) {
            return;
        }
        HEADERS.forEach(resp::setHeader);
    }

    /** Switches to {@link #IMAGE_POLICY} when the content type set is an image's, and back when it is not. */
    static final class ImagePolicyWhenImage extends HttpServletResponseWrapper {
        ImagePolicyWhenImage(HttpServletResponse resp) {
            super(resp);
        }

        @Override
        public void setContentType(String type) {
            super.setContentType(type);
            choose(type);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, value);
            if ("Content-Type".equalsIgnoreCase(name)) {
                choose(value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, value);
            if ("Content-Type".equalsIgnoreCase(name)) {
                choose(value);
            }
        }

        private void choose(String type) {
            if (!isCommitted()) {
                boolean image = type != null && type.regionMatches(true, 0, "image/", 0, 6);
                super.setHeader("Content-Security-Policy", image ? IMAGE_POLICY : CONTENT_SECURITY_POLICY);
            }
        }
    }
}
