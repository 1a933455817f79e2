package com.imageretrieval.web.errors;

import java.util.Optional;

/**
 * The error catalogue: every error the application answers, with its HTTP status, its stable code (the JSON field
 * {@code error}) and, for the answers that mean "come back later", the Retry-After seconds. Resources, exception
 * mappers, filters and the error servlet all take their codes from here, so a status never has two spellings and
 * a Retry-After value exists once. docs/api.md lists the same table for clients.
 */
public enum ErrorCode {
    BAD_REQUEST(400, "bad_request"),
    MISSING_IMAGE(400, "missing_image"),
    /** GET /api/search without a text (q absent or blank). */
    MISSING_QUERY(400, "missing_query"),
    QUERY_TOO_LONG(400, "query_too_long"),
    NOT_AN_IMAGE(400, "not_an_image"),
    EMPTY_IMAGE(400, "empty_image"),
    BAD_TOP_K(400, "bad_top_k"),
    TOO_MANY_PARTS(400, "too_many_parts"),
    BAD_LIMIT(400, "bad_limit"),
    BAD_OFFSET(400, "bad_offset"),
    BAD_MIN_SIMILARITY(400, "bad_min_similarity"),
    BAD_THRESHOLD(400, "bad_threshold"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    ADMIN_DISABLED(403, "admin_disabled"),
    NOT_FOUND(404, "not_found"),
    IMAGE_NOT_FOUND(404, "image_not_found"),
    /** GET /api/metrics while METRICS=off. */
    METRICS_OFF(404, "metrics_off"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    NOT_ACCEPTABLE(406, "not_acceptable"),
    /** The upload did not arrive within UPLOAD_TIMEOUT_S. */
    UPLOAD_TIMEOUT(408, "upload_timeout"),
    CONFLICT(409, "conflict"),
    BUILD_IN_PROGRESS(409, "build_in_progress"),
    NOT_EVALUABLE(409, "not_evaluable"),
    /** Text search asked for, but no text encoder is loaded (TEXT_MODEL_PATH unset, or the reason it is off). */
    TEXT_SEARCH_UNAVAILABLE(409, "text_search_unavailable"),
    TOO_LARGE(413, "too_large"),
    TOO_MANY_PIXELS(413, "too_many_pixels"),
    UNSUPPORTED_TYPE(415, "unsupported_type"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    INTERNAL(500, "internal"),
    /** Model or index not loaded yet (a first build or download takes minutes). */
    NOT_READY(503, "not_ready", 10),
    /** A gate is full (searches, analyses, progress streams); each such request is short, so retry soon. */
    OVERLOADED(503, "overloaded", 2);

    private final int status;
    private final String code;
    private final int retryAfterSeconds;

    ErrorCode(int status, String code) {
        this(status, code, 0);
    }

    ErrorCode(int status, String code, int retryAfterSeconds) {
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    /** The stable code clients match on. */
    public String code() {
        return code;
    }

    /** Seconds for the Retry-After header, for the answers that carry one. */
    public Optional<String> retryAfter() {
        return retryAfterSeconds > 0 ? Optional.of(Integer.toString(retryAfterSeconds)) : Optional.empty();
    }

    /**
     * The generic code for a status produced by a container or framework rather than by the application (unknown
     * path, wrong method, wrong media type); an unlisted 5xx is {@code internal}, another 4xx {@code bad_request}.
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> UPLOAD_TIMEOUT;
            case 409 -> CONFLICT;
            case 413 -> TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> NOT_READY;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }
}
