package com.imageretrieval.index;

/**
 * A dataset file a build skipped, and why. {@code path} is relative to the dataset folder and {@code reason} is
 * written by the builder (no absolute path, no library text), so it can be shown to an operator as it is.
 */
public record BuildFailure(String path, String reason) {
}
