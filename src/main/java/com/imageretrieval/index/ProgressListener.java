package com.imageretrieval.index;

/** TEMP stand-in (owned by the index helper). */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(BuildProgress p);
}
