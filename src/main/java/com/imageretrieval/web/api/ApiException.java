package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import java.util.Map;

/** An error the API answers on purpose: a catalogue entry and a message that go to the client as they are. */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode error;
    private final transient Map<String, String> headers;

    public ApiException(ErrorCode error, String message) {
        this(error, message, Map.of());
    }

    /** With extra headers (WWW-Authenticate); Retry-After comes from the catalogue. */
    public ApiException(ErrorCode error, String message, Map<String, String> headers) {
        super(message);
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public ErrorCode error() {
        return error;
    }

    public int status() {
        return error.status();
    }

    public String code() {
        return error.code();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
