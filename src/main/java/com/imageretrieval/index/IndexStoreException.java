package com.imageretrieval.index;

/** The index database cannot be opened, read or written; the message names the file and the cause. */
public class IndexStoreException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean inUse;

    public IndexStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public IndexStoreException(String message, Throwable cause, boolean inUse) {
        super(message, cause);
        this.inUse = inUse;
    }

    public IndexStoreException(String message) {
        super(message);
        this.inUse = false;
    }

    /** True if the file is fine but another process has it open: it must not be treated as corrupt. */
    public boolean inUse() {
        return inUse;
    }
}
