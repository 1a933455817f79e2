package com.imageretrieval.index;

import java.time.Instant;

/** What an index was built with: vectors are only comparable with queries embedded by the same model. */
public record IndexMetadata(String modelName, String modelHash, int dimension, String device, Instant builtAt,
                            int count) {
}
