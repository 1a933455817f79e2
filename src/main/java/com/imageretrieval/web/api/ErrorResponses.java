package com.imageretrieval.web.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the JSON error answer; the type is set explicitly so that no Accept header can turn it into HTML. */
final class ErrorResponses {

    /** Seconds a client should wait before asking again while the model or index is not ready. */
    static final String RETRY_AFTER_SECONDS = "10";

    private ErrorResponses() {
    }

    static Response.ResponseBuilder of(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(code, message));
    }

    /** A code for the statuses the framework itself produces (unknown path, wrong method, wrong media type...). */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "not_ready";
            default -> status >= 500 ? "internal" : "http_" + status;
        };
    }
}
