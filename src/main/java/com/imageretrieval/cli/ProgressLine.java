package com.imageretrieval.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One status line on stderr that updates in place. On a terminal it is redrawn with a carriage return at most every
 * {@code interval}; when stderr is a file or a pipe (CI logs, docker logs) carriage returns would pile up, so a
 * plain line is written far less often instead. Thread-safe: builds report from worker threads.
 */
final class ProgressLine {

    private final PrintStream err;
    private final boolean interactive;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long lastPrint = Long.MIN_VALUE;
    private int shownLength; // length of the line on screen, 0 when none

    ProgressLine(PrintStream err, boolean interactive) {
        this(err, interactive, interactive ? 200 : 5_000, System::nanoTime);
    }

    ProgressLine(PrintStream err, boolean interactive, long intervalMillis, LongSupplier nanoClock) {
        this.err = err;
        this.interactive = interactive;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** Shows {@code text} unless the line was drawn less than the interval ago. */
    synchronized void update(String text) {
        long now = nanoClock.getAsLong();
        if (lastPrint != Long.MIN_VALUE && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        draw(text);
    }

    /** Shows {@code text} as the final state of the line and ends it. */
    synchronized void finish(String text) {
        draw(text);
        if (interactive) {
            err.println();
        }
        shownLength = 0;
        lastPrint = Long.MIN_VALUE;
        err.flush();
    }

    /** Prints a message on its own line without garbling the progress line (which is redrawn on the next update). */
    synchronized void message(String text) {
        if (interactive && shownLength > 0) {
            err.print("\r" + " ".repeat(shownLength) + "\r");
            shownLength = 0;
            lastPrint = Long.MIN_VALUE;
        }
        err.println(text);
        err.flush();
    }

    private void draw(String text) {
        if (interactive) {
            // Pad with spaces so a shorter line fully covers the previous one.
            String padded = text.length() < shownLength ? text + " ".repeat(shownLength - text.length()) : text;
            err.print("\r" + padded);
            shownLength = text.length();
        } else {
            err.println(text);
        }
        err.flush();
    }

    // ---- formatting shared by the commands ----

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** h:mm:ss or m:ss; "?" when unknown (negative). */
    static String duration(long seconds) {
        if (seconds < 0) {
            return "?";
        }
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    static String download(String name, long bytes, long total, double bytesPerSecond, long etaSeconds) {
        StringBuilder sb = new StringBuilder(name).append("  ").append(bytes(bytes));
        if (total > 0) {
            sb.append(" / ").append(bytes(total))
                    .append(String.format(Locale.ROOT, "  %5.1f%%", 100.0 * bytes / total));
        }
        sb.append("  ").append(bytes((long) bytesPerSecond)).append("/s");
        if (total > 0) {
            sb.append("  ETA ").append(duration(etaSeconds));
        }
        return sb.toString();
    }

    static String build(IndexCommands.Progress p) {
        String pct = p.total() > 0 ? String.format(Locale.ROOT, " (%.1f%%)", 100.0 * p.done() / p.total()) : "";
        return String.format(Locale.ROOT, "indexing %d/%d%s  failed %d  %.1f images/s  ETA %s",
                p.done(), p.total(), pct, p.failed(), p.imagesPerSecond(), duration(p.etaSeconds()));
    }

    static String summary(IndexCommands.Summary s) {
        return String.format(Locale.ROOT,
                "indexed %d images in %s (%.1f images/s): %d embedded, %d reused, %d removed, %d failed",
                s.total(), duration(Math.round(s.millis() / 1000.0)), s.imagesPerSecond(),
                s.embedded(), s.reused(), s.removed(), s.failed());
    }
}
