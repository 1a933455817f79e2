package com.imageretrieval.index;

/**
 * What a backend holds for one image, without its vector: what the incremental builder compares with the file on
 * disk (size, mtime, sha256) and the model that made the stored vector.
 */
public record StoredImage(ImageRecord record, String modelHash) {
}
