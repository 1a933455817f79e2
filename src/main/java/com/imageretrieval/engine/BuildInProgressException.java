package com.imageretrieval.engine;

/** TEMP stand-in (owned by the index helper). */
public class BuildInProgressException extends Exception {
    private static final long serialVersionUID = 1L;
    public BuildInProgressException(String message) { super(message); }
}
