package com.imageretrieval.analysis;

/** The index cannot be evaluated; the message says why (no labels, no label with two images). */
public class EvaluationException extends Exception {
    private static final long serialVersionUID = 1L;

    public EvaluationException(String message) {
        super(message);
    }
}
