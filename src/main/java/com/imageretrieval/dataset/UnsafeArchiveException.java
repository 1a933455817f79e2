package com.imageretrieval.dataset;

import java.io.IOException;

/** The archive holds an entry the extractor refuses (escaping path, link, device, absurd size); the message names it. */
public class UnsafeArchiveException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeArchiveException(String message) {
        super(message);
    }
}
