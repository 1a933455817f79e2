package com.imageretrieval.index;

/**
 * A progress report of an index build.
 *
 * @param done            files handled so far (unchanged files count as done from the start)
 * @param total           image files found in the dataset
 * @param failed          files that could not be read or decoded (skipped, logged)
 * @param imagesPerSecond rate of the files that needed work (read, hash, decode, embed)
 * @param etaSeconds      estimated seconds left, -1 while unknown
 * @param finished        true on the last event of a successful build
 */
public record BuildProgress(int done, int total, int failed, double imagesPerSecond, long etaSeconds,
                            boolean finished) {
}
