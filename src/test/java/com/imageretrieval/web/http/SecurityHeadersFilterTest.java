package com.imageretrieval.web.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecurityHeadersFilterTest {

    /** A response that records setHeader calls; committed when told. */
    private static HttpServletResponse response(Map<String, String> headers, boolean committed) {
        return (HttpServletResponse) Proxy.newProxyInstance(SecurityHeadersFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                    case "isCommitted" -> committed;
                    case "setContentType" -> headers.put("Content-Type", (String) args[0]);
                    default -> null;
                });
    }

    @Test
    void setsTheHeadersBeforeTheChainRuns() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> seenByChain = new LinkedHashMap<>();
        HttpServletRequest req = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (p, m, a) -> null);
        FilterChain chain = (rq, rs) -> {
            seenByChain.putAll(headers);
            ((HttpServletResponse) rs).setContentType("image/jpeg");
            assertEquals(SecurityHeadersFilter.IMAGE_POLICY, headers.get("Content-Security-Policy"), "an image");
            ((HttpServletResponse) rs).setHeader("Content-Type", "application/json");
            assertEquals(SecurityHeadersFilter.CONTENT_SECURITY_POLICY, headers.get("Content-Security-Policy"));
        };
        new SecurityHeadersFilter().doFilter(req, response(headers, false), chain);
        assertEquals(SecurityHeadersFilter.HEADERS, seenByChain, "set before the servlet writes its answer");
        assertEquals("nosniff", headers.get("X-Content-Type-Options"));
        assertEquals("same-origin", headers.get("Referrer-Policy"));
    }

    @Test
    void thePolicyForbidsInlineCodeFramingAndPlugins() {
        List<String> directives = Arrays.asList(SecurityHeadersFilter.CONTENT_SECURITY_POLICY.split("; "));
        for (String d : List.of("script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'",
                "frame-ancestors 'none'")) {
            assertTrue(directives.contains(d), d);
        }
        assertFalse(SecurityHeadersFilter.CONTENT_SECURITY_POLICY.contains("unsafe"));
        // Images: nothing runs at all (no script-src: default-src 'none' applies), framing refused as well.
        List<String> image = Arrays.asList(SecurityHeadersFilter.IMAGE_POLICY.split("; "));
        assertTrue(image.containsAll(List.of("default-src 'none'", "object-src 'none'", "frame-ancestors 'none'")));
        assertFalse(SecurityHeadersFilter.IMAGE_POLICY.contains("script-src"));
    }

    @Test
    void leavesACommittedAnswerAlone() {
        Map<String, String> headers = new LinkedHashMap<>();
        SecurityHeadersFilter.apply(response(headers, true));
        assertTrue(headers.isEmpty());
    }

    @Test
    void runsForErrorAndForwardDispatchesOnEveryPath() {
        WebFilter f = SecurityHeadersFilter.class.getAnnotation(WebFilter.class);
        assertEquals(List.of("/*"), List.of(f.urlPatterns()));
        assertTrue(List.of(f.dispatcherTypes()).containsAll(List.of(DispatcherType.REQUEST, DispatcherType.ERROR,
                DispatcherType.FORWARD)), "error pages (404, 405) get the headers too");
    }
}
