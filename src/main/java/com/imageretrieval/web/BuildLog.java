package com.imageretrieval.web;

import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.ProgressListener;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes a build's progress to the server log: at most one line every few seconds, and the final figures. */
final class BuildLog implements ProgressListener {

    private static final Logger LOG = Logger.getLogger(BuildLog.class.getName());
    private static final long EVERY_NANOS = 5_000_000_000L;

    private final String trigger;
    private final Level level;
    private long lastLine = System.nanoTime();

    /** Timer builds log at FINE: with a short schedule they would fill the log with "nothing changed". */
    BuildLog(String trigger) {
        this.trigger = trigger;
        this.level = trigger.equals(EngineService.TIMER) ? Level.FINE : Level.INFO;
    }

    @Override
    public synchronized void onProgress(BuildProgress p) {
        long now = System.nanoTime();
        if (!p.finished() && now - lastLine < EVERY_NANOS) {
            return;
        }
        lastLine = now;
        if (!LOG.isLoggable(level)) {
            return;
        }
        LOG.log(level, String.format("Image retrieval: index build (%s)%s: %d/%d images, %d failed, %.1f images/s%s",
                trigger, p.finished() ? " finished" : "", p.done(), p.total(), p.failed(), p.imagesPerSecond(),
                p.finished() ? "" : ", ETA " + p.etaSeconds() + " s"));
    }
}
