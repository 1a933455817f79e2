package com.imageretrieval.dataset;

/**
 * A snapshot of one download.
 *
 * @param bytes          bytes of the file on disk so far (a resumed download counts the part kept from before)
 * @param total          expected size in bytes, or -1 when the server did not say
 * @param bytesPerSecond transfer rate of the current attempt
 * @param finished       true for the last report of a successful download
 */
public record DownloadProgress(long bytes, long total, double bytesPerSecond, boolean finished) {

    /** Seconds left at the current rate, or -1 when unknown. */
    public long etaSeconds() {
        if (total <= 0 || bytesPerSecond <= 0) {
            return -1;
        }
        return (long) Math.ceil(Math.max(0, total - bytes) / bytesPerSecond);
    }
}
