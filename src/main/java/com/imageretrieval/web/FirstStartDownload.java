package com.imageretrieval.web;

import com.imageretrieval.config.AppConfig;
import com.imageretrieval.dataset.DatasetInstaller;
import com.imageretrieval.dataset.DownloadProgress;
import com.imageretrieval.dataset.InstallListener;
import com.imageretrieval.dataset.ModelInstaller;
import java.io.IOException;
import java.nio.file.Files;
import java.util.logging.Logger;

/**
 * The seed's "one-click initialisation" on the server: when the model file or the dataset folder is absent at
 * deployment, fetch them (MODEL_URL, DATASET_URL; or the archive already lying in ARTIFACTS_DIR) in the background,
 * logging progress, so that the next engine open can load the model and build the index.
 *
 * <p>Only what is <em>absent</em> is fetched: an existing but empty dataset folder is the operator's choice and is
 * left alone. Offline, the download fails quickly and health keeps saying what to place where.
 */
final class FirstStartDownload {

    private static final Logger LOG = Logger.getLogger(FirstStartDownload.class.getName());
    /** Log download progress at most this often. */
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final AppConfig config;
    private volatile String state;

    FirstStartDownload(AppConfig config) {
        this.config = config;
    }

    /** True when AUTO_DOWNLOAD is on and the model file or the dataset folder does not exist. */
    static boolean needed(AppConfig config) {
        return config.autoDownload()
                && (!Files.exists(config.modelPath()) || !Files.exists(config.datasetDir()));
    }

    /** What the download is doing now, for health; null when not running. */
    String state() {
        return state;
    }

    /**
     * Fetches what is absent. Returns true when anything new was installed (the engine must then be reopened).
     * Failures are logged with the fix and swallowed: the server keeps running in its degraded state.
     */
    boolean run() {
        boolean changed = false;
        try {
            if (!Files.exists(config.modelPath())) {
                state = "downloading the model from " + config.modelUrl() + " to " + config.modelPath();
                changed |= new ModelInstaller().install(config, listener("model")).outcome()
                        != ModelInstaller.Outcome.ALREADY_PRESENT;
            }
            if (!Files.exists(config.datasetDir())) {
                state = "downloading the dataset from " + config.datasetUrl() + " to " + config.datasetDir();
                DatasetInstaller.Outcome d = new DatasetInstaller().install(config, listener("dataset")).outcome();
                changed |= d == DatasetInstaller.Outcome.EXTRACTED_LOCAL_ARCHIVE
                        || d == DatasetInstaller.Outcome.DOWNLOADED_AND_EXTRACTED;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("Image retrieval: first-start download failed: " + e.getMessage()
                    + " (offline? place the files yourself: see /api/health; AUTO_DOWNLOAD=false turns this off)");
        } finally {
            state = null;
        }
        return changed;
    }

    private static InstallListener listener(String what) {
        return new InstallListener() {
            private long lastLog;

            @Override
            public void info(String message) {
                LOG.info("Image retrieval: " + what + ": " + message);
            }

            @Override
            public void progress(DownloadProgress p) {
                long now = System.nanoTime();
                if (now - lastLog >= LOG_EVERY_NANOS) {
                    lastLog = now;
                    LOG.info(String.format("Image retrieval: %s download: %.1f MiB%s at %.1f MiB/s", what,
                            p.bytes() / 1048576.0, p.total() > 0 ? String.format(" of %.1f MiB", p.total() / 1048576.0)
                                    : "", p.bytesPerSecond() / 1048576.0));
                }
            }
        };
    }
}
