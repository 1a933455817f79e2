package com.imageretrieval.web.guard;

import com.imageretrieval.web.errors.ErrorCode;
import java.io.IOException;
import java.util.Optional;

/**
 * The guarded request body was refused while it was being read: too large, too many multipart parts, or not
 * complete within UPLOAD_TIMEOUT_S. It is an IOException because it comes out of {@code read()}; frameworks wrap it,
 * and whoever finds it in a cause chain answers its catalogue entry.
 */
public final class UploadRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode error;

    public UploadRefusedException(ErrorCode error, String message) {
        super(message);
        this.error = error;
    }

    public UploadRefusedException(ErrorCode error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public ErrorCode error() {
        return error;
    }

    /** This exception anywhere in the cause chain of {@code t} (frameworks wrap what the stream throws). */
    public static Optional<UploadRefusedException> in(Throwable t) {
        for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof UploadRefusedException u) {
                return Optional.of(u);
            }
        }
        return Optional.empty();
    }
}
