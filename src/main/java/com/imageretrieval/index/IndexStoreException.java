package com.imageretrieval.index;

/** The index database cannot be opened, read or written; the message names the file and the cause. */
public class IndexStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public IndexStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public IndexStoreException(String message) {
        super(message);
    }
}
