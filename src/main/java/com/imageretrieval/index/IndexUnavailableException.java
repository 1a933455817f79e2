package com.imageretrieval.index;

/**
 * A remote index did not answer a read (cluster down, timeout, refused). Unchecked because {@link IndexView} reads
 * of the in-memory backend cannot fail; the engine turns it into a "not ready" answer (HTTP 503).
 */
public class IndexUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
