package com.imageretrieval.web.guard;

import java.io.IOException;

/** The request body went past its limit while it was being read; the answer is 413. */
public final class UploadTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    public UploadTooLargeException(String message) {
        super(message);
    }

    /** This exception anywhere in the cause chain of {@code t} (frameworks wrap what the stream throws). */
    public static java.util.Optional<UploadTooLargeException> in(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof UploadTooLargeException u) {
                return java.util.Optional.of(u);
            }
        }
        return java.util.Optional.empty();
    }
}
