package com.imageretrieval.dataset;

/**
 * Receives what an installer does: short messages (what is fetched from where, what is reused) and download progress.
 * The CLI prints them; the web app logs them.
 */
public interface InstallListener {

    /** A one-line account of a step ("using the archive already at ...", "downloading ... to ..."). */
    void info(String message);

    /** Download progress; called often, the receiver throttles its output. */
    void progress(DownloadProgress progress);

    /** A listener that ignores everything. */
    static InstallListener silent() {
        return new InstallListener() {
            @Override
            public void info(String message) {
            }

            @Override
            public void progress(DownloadProgress progress) {
            }
        };
    }
}
