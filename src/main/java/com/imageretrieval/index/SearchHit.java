package com.imageretrieval.index;

/** TEMP stand-in (owned by the index helper). */
public record SearchHit(int rank, float similarity, ImageRecord image) {
}
