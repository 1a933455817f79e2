package com.imageretrieval.engine;

/** The engine cannot serve the request yet; the message says what is missing (path, variable, URL) or running. */
public class NotReadyException extends Exception {
    private static final long serialVersionUID = 1L;

    public NotReadyException(String message) {
        super(message);
    }
}
