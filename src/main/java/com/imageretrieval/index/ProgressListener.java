package com.imageretrieval.index;

/**
 * Receives build progress on the building thread. An exception thrown here aborts the build, which then leaves the
 * previous index untouched (a way to cancel).
 */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(BuildProgress p);

    /** A listener that ignores every event. */
    static ProgressListener none() {
        return p -> { };
    }
}
