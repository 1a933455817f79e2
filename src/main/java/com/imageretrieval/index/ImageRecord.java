package com.imageretrieval.index;

/** TEMP stand-in (owned by the index helper). */
public record ImageRecord(long id, String path, String label, long size, long mtime, String sha256, int width,
        int height) {
}
