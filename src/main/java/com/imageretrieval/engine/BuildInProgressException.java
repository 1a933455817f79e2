package com.imageretrieval.engine;

/** Another index build is running; only one runs at a time. */
public class BuildInProgressException extends Exception {
    private static final long serialVersionUID = 1L;

    public BuildInProgressException(String message) {
        super(message);
    }
}
