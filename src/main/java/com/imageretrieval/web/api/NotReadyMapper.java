package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.engine.NotReadyException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Model or index not ready: 503 with Retry-After; the engine's message says what is missing and where. */
@Provider
public class NotReadyMapper implements ExceptionMapper<NotReadyException> {

    @Override
    public Response toResponse(NotReadyException e) {
        return ErrorResponses.of(ErrorCode.NOT_READY, e.getMessage()).build();
    }
}
