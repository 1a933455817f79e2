package com.imageretrieval.engine;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.index.DatasetScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * "Does the dataset folder exist and hold an image?", asked by every status poll and before every build. A yes is
 * reused for a few seconds (status may be polled often and the walk stops at the first image, but a slow disk makes
 * even that costly); a no is asked again at once, so a freshly downloaded dataset is seen on the next poll.
 */
final class DatasetCheck {

    private static final long REUSE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final AppConfig config;
    private volatile long checkedAt;
    private volatile boolean hasImages;

    DatasetCheck(AppConfig config) {
        this.config = config;
    }

    /** The exact text shown when the dataset folder is missing or holds no image. */
    static String missingMessage(AppConfig config) {
        return "dataset not found at " + config.datasetDir().toAbsolutePath() + ": set DATASET_DIR or run"
                + " `download-data` (DATASET_URL=" + config.datasetUrl() + ")";
    }

    /** Null if the dataset folder exists and has an image, else the message saying how to get it. */
    String problem() {
        Path dir = config.datasetDir();
        if (!Files.isDirectory(dir)) {
            checkedAt = 0;
            return missingMessage(config);
        }
        long now = System.nanoTime();
        if (checkedAt == 0 || now - checkedAt > REUSE_NANOS || !hasImages) {
            hasImages = DatasetScanner.hasImages(dir);
            checkedAt = now == 0 ? 1 : now;
        }
        return hasImages ? null : missingMessage(config);
    }

    /** Like {@link #problem()} but never reuses an earlier answer (before a build: an empty folder would wipe it). */
    String freshProblem() {
        checkedAt = 0;
        return problem();
    }
}
