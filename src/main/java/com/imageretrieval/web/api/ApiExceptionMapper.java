package com.imageretrieval.web.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Errors the resources raise on purpose. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<ApiException> {

    @Override
    public Response toResponse(ApiException e) {
        Response.ResponseBuilder b = ErrorResponses.of(e.error(), e.getMessage());
        e.headers().forEach(b::header);
        return b.build();
    }
}
