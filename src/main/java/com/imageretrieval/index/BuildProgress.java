package com.imageretrieval.index;

/** TEMP stand-in (owned by the index helper). */
public record BuildProgress(int done, int total, int failed, double imagesPerSecond, long etaSeconds,
        boolean finished) {
}
