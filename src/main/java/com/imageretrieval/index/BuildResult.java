package com.imageretrieval.index;

import java.time.Instant;
import java.util.List;

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
 * @param failures        the first {@link #MAX_LISTED_FAILURES} skipped files with their reasons (admin only)
 */
public record BuildResult(int total, int embedded, int reused, int removed, int failed, long millis,
                          double imagesPerSecond, Instant finishedAt, List<BuildFailure> failures) {

    /** More failures are counted in {@code failed} but not listed. */
    public static final int MAX_LISTED_FAILURES = 100;

    public BuildResult {
        failures = failures == null ? List.of() : List.copyOf(failures);
    }

    public BuildResult(int total, int embedded, int reused, int removed, int failed, long millis,
            double imagesPerSecond, Instant finishedAt) {
        this(total, embedded, reused, removed, failed, millis, imagesPerSecond, finishedAt, List.of());
    }

    /** The same figures without the list, for public answers. */
    public BuildResult withoutFailures() {
        return new BuildResult(total, embedded, reused, removed, failed, millis, imagesPerSecond, finishedAt);
    }
}
