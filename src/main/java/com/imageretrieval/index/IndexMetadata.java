package com.imageretrieval.index;

import java.time.Instant;

/** TEMP stand-in (owned by the index helper). */
public record IndexMetadata(String modelName, String modelHash, int dimension, String device, Instant builtAt,
        int count) {
}
