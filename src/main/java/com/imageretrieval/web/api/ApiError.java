package com.imageretrieval.web.api;

/** The body of every error answer: a stable machine code and a sentence for people. */
public record ApiError(String error, String message) {
}
