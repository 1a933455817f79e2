package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.web.guard.UploadRefusedException;
import java.util.Optional;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The framework's own errors (no such resource, method not allowed, unsupported media type, unreadable body) in
 * the API's JSON shape. Messages are written here rather than passed on: the servers' texts differ and some
 * carry class names.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    private UriInfo uriInfo;

    @Override
    public Response toResponse(WebApplicationException e) {
        Optional<UploadRefusedException> refused = UploadRefusedException.in(e);
        if (refused.isPresent()) { // the upload guard's stream, wrapped by the multipart reader
            // The rest of the body is not read, so the connection cannot be reused.
            return ErrorResponses.of(refused.get().error(), refused.get().getMessage()).header("Connection", "close")
                    .build();
        }
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        Response.ResponseBuilder b = ErrorResponses.of(ErrorCode.forStatus(status), message(status));
        if (original != null) {
            for (String h : new String[] {HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE}) {
                Object v = original.getHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
        }
        return b.build();
    }

    private String message(int status) {
        String path = uriInfo == null ? "" : "/" + uriInfo.getPath(false).replaceFirst("^/", "");
        return switch (status) {
            case 404 -> "no such API resource: /api" + path;
            case 405 -> "this method is not allowed on /api" + path;
            case 406 -> "this resource answers JSON only";
            case 415 -> "unsupported request content type for /api" + path;
            case 400 -> "the request could not be read";
            default -> "HTTP " + status;
        };
    }
}
