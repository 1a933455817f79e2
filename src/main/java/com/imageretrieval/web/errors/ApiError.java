package com.imageretrieval.web.errors;

/** The body of every error answer: a stable machine code and a sentence for people (JSON-B writes it). */
public record ApiError(String error, String message) {
}
