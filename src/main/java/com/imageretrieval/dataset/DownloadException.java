package com.imageretrieval.dataset;

import java.io.IOException;

/**
 * A download failed for good (after the retries, or at once for errors that a retry cannot fix such as HTTP 404 or a
 * checksum mismatch). The message names the URL and the reason; no file is left at the target path.
 */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
