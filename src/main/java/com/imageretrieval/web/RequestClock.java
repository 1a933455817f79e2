package com.imageretrieval.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Notes when a search request reached the application, before the REST framework parses its multipart body, so that
 * the "upload" stage of /api/metrics includes that parsing (a resource method only runs after it).
 */
@WebFilter(urlPatterns = "/api/search")
public class RequestClock extends HttpFilter {
    private static final long serialVersionUID = 1L;

    static final String ATTRIBUTE = RequestClock.class.getName() + ".start";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        req.setAttribute(ATTRIBUTE, System.nanoTime());
        chain.doFilter(req, resp);
    }

    /** The {@link System#nanoTime()} at which the request entered the application; now, if the filter did not run. */
    public static long start(ServletRequest req) {
        return req.getAttribute(ATTRIBUTE) instanceof Long t ? t : System.nanoTime();
    }
}
