package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ApiError;
import com.imageretrieval.web.errors.ErrorCode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds the JSON error answer of a catalogue entry (status, code, Retry-After); the type is set explicitly so that
 * no Accept header can turn it into HTML.
 */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static Response.ResponseBuilder of(ErrorCode error, String message) {
        Response.ResponseBuilder b = Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(error.code(), message));
        error.retryAfter().ifPresent(s -> b.header(HttpHeaders.RETRY_AFTER, s));
        return b;
    }
}
