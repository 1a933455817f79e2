package com.imageretrieval.engine;

/** TEMP stand-in (owned by the index helper). */
public class NotReadyException extends Exception {
    private static final long serialVersionUID = 1L;
    public NotReadyException(String message) { super(message); }
}
