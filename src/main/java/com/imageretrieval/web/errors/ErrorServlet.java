package com.imageretrieval.web.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's error pages (WEB-INF/web.xml points 4xx/5xx here): the API's JSON shape instead of the server's
 * HTML page, which would also name the server and its version.
 */
@WebServlet("/error")
public class ErrorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i ? i : 404;
        Object uri = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? req.getRequestURI() : uri.toString();
        ErrorCode error = ErrorCode.forStatus(status);
        String message = switch (status) {
            case 404 -> "not found: " + path;
            case 413 -> "the request body is too large";
            default -> status >= 500 ? "unexpected server error; see the server log" : "HTTP " + status + ": " + path;
        };
        JsonErrors.write(resp, error, message);
    }
}
