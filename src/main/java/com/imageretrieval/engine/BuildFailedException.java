package com.imageretrieval.engine;

/**
 * An index build started but failed (database error, model error, interrupted, listener threw). The previous index
 * is still the one served. Unchecked so that {@link RetrievalEngine#rebuild} keeps its published signature.
 */
public class BuildFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BuildFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
