package com.imageretrieval.index;

import java.util.Objects;

/**
 * One indexed image (everything but its vector).
 *
 * @param id     database id, stable while the file's row lives
 * @param path   relative to the dataset root, '/' separators
 * @param label  first folder of {@code path}, "" for a file at the root
 * @param size   file size in bytes when indexed
 * @param mtime  last-modified time in epoch milliseconds when indexed
 * @param sha256 hex SHA-256 of the file content
 * @param width  decoded width (after EXIF orientation)
 * @param height decoded height
 */
public record ImageRecord(long id, String path, String label, long size, long mtime, String sha256, int width,
                          int height) {
    public ImageRecord {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(label, "label");
    }
}
