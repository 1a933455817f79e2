package com.imageretrieval.index;

import java.time.Instant;

/**
 * Outcome of a successful build.
 *
 * @param total           image files found in the dataset
 * @param embedded        files run through the model (new, changed content, or stale model)
 * @param reused          files whose stored vector was kept (unchanged, or only their mtime changed)
 * @param removed         rows deleted because their file is gone
 * @param failed          files skipped because they could not be read or decoded (a stored file that stopped
 *                        decoding loses its row and counts here, not in {@code removed})
 * @param millis          wall time of the whole build
 * @param imagesPerSecond rate of the files that needed work
 * @param finishedAt      when the new index was committed
 */
public record BuildResult(int total, int embedded, int reused, int removed, int failed, long millis,
                          double imagesPerSecond, Instant finishedAt) {
}
