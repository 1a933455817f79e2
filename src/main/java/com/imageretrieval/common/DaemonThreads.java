package com.imageretrieval.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The application's own worker threads: named after what they do (so a thread dump or a profile says whose they are)
 * and daemon, so none of them can keep a command-line JVM alive or an application server from stopping.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Every thread is called {@code name}. */
    public static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, ... */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return r -> named(prefix + "-" + counter.incrementAndGet()).newThread(r);
    }
}
