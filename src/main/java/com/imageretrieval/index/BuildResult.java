package com.imageretrieval.index;

import java.time.Instant;

/** TEMP stand-in (owned by the index helper). */
public record BuildResult(int total, int embedded, int reused, int removed, int failed, long millis,
        double imagesPerSecond, Instant finishedAt) {
}
