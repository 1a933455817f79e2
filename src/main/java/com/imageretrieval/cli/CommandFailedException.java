package com.imageretrieval.cli;

/** A command ran and failed for a reason the message states fully (exit code 1). */
final class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
