package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.engine.NotReadyException;
import com.imageretrieval.web.errors.PublicText;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Model or index not ready: 503 with Retry-After; the engine's message says what is missing and where. */
@Provider
public class NotReadyMapper implements ExceptionMapper<NotReadyException> {

    /** The deployment's configuration (valid: an invalid one fails the deployment before any request). */
    private static final class Config {
        static final AppConfig INSTANCE = AppConfig.fromEnvironment();
    }

    @Override
    public Response toResponse(NotReadyException e) {
        return ErrorResponses.of(ErrorCode.NOT_READY, PublicText.redact(e.getMessage(), Config.INSTANCE)).build();
    }
}
