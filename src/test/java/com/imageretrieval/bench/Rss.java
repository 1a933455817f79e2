package com.imageretrieval.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this JVM from /proc (Linux); -1 where unavailable. */
final class Rss {

    private Rss() {
    }

    /** Peak resident set (VmHWM) in MiB. */
    static long peakMiB() {
        return field("VmHWM:");
    }

    /** Current resident set (VmRSS) in MiB. */
    static long currentMiB() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
