package com.imageretrieval.engine;

import com.imageretrieval.common.DaemonThreads;
import com.imageretrieval.index.BuildProgress;
import com.imageretrieval.index.BuildResult;
import com.imageretrieval.index.IndexBusyException;
import com.imageretrieval.index.ProgressListener;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs index builds one at a time, on the caller's thread or on one daemon thread of its own, and fans their
 * progress out to the caller and to the subscribed listeners (SSE streams, the CLI's progress line).
 *
 * <p>One compare-and-set on the running build decides who builds. A requested build that finds the engine's own
 * automatic build (no index yet, other model) running waits for it and then runs (quickly: everything is reused);
 * one that finds another requested build running is refused with {@link BuildInProgressException}, and so is one
 * whose backend is held by another process's build (another app node holding the OpenSearch lease).
 *
 * <p>The final progress event ({@code finished=true}) is held back until the job has made the new index searchable,
 * so whoever reacts to it (the page reloads the gallery) sees the new index.
 */
final class BuildCoordinator implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BuildCoordinator.class.getName());

    /** The work of one build: write the index, then make it the searchable one. */
    @FunctionalInterface
    interface Job {
        /** @throws Exception anything: the coordinator records it and reports {@link BuildFailedException} */
        BuildResult run(ProgressListener progress) throws Exception;
    }

    /** A running build: who started it, and a latch opened when it ends. */
    private record Build(boolean automatic, CountDownLatch done) {
    }

    private final Job job;
    /** True if an index is being served (for the failure message: "the previous index is still served"). */
    private final BooleanSupplier serving;
    private final AtomicReference<Build> running = new AtomicReference<>();
    private final CopyOnWriteArrayList<ProgressListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(DaemonThreads.named("index-build"));

    private volatile BuildProgress progress;
    private volatile BuildResult lastBuild;
    private volatile String lastError;
    private volatile boolean closed;

    BuildCoordinator(Job job, BooleanSupplier serving) {
        this.job = Objects.requireNonNull(job);
        this.serving = Objects.requireNonNull(serving);
    }

    /** True while a build runs. */
    boolean building() {
        return running.get() != null;
    }

    /** True while a build the engine started on its own runs. */
    boolean automaticRunning() {
        Build b = running.get();
        return b != null && b.automatic();
    }

    /** Progress of the running build. */
    Optional<BuildProgress> progress() {
        return running.get() != null ? Optional.ofNullable(progress) : Optional.empty();
    }

    Optional<BuildResult> lastBuild() {
        return Optional.ofNullable(lastBuild);
    }

    /** Why the last build failed; null after a success. */
    String lastError() {
        return lastError;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Runs a build on the calling thread, after the automatic one if that is running.
     *
     * @throws BuildInProgressException if another requested build is running
     * @throws BuildFailedException     if the build failed
     */
    BuildResult runNow(ProgressListener listener) throws BuildInProgressException {
        Build mine = new Build(false, new CountDownLatch(1));
        while (!running.compareAndSet(null, mine)) {
            Build other = running.get();
            if (other == null) {
                continue;
            }
            if (!other.automatic()) {
                BuildProgress p = progress;
                throw new BuildInProgressException("an index build is already running"
                        + (p == null ? "" : " (" + p.done() + "/" + p.total() + " images)"));
            }
            try {
                other.done().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BuildFailedException("interrupted while waiting for the running build", e);
            }
        }
        try {
            return execute(listener);
        } catch (Busy e) {
            throw new BuildInProgressException(e.getMessage());
        } finally {
            end(mine);
        }
    }

    /** Another process holds the index for its own build (see {@link IndexBusyException}). */
    private static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message, null, false, false);
        }
    }

    /** Starts a build on the build thread; false if one runs already or the coordinator is closed. */
    boolean startAsync(ProgressListener listener, boolean automatic) {
        Build mine = new Build(automatic, new CountDownLatch(1));
        if (closed || !running.compareAndSet(null, mine)) {
            return false;
        }
        try {
            thread.execute(() -> {
                try {
                    execute(listener);
                } catch (Busy e) {
                    // another node builds; this node's timer tries again next time
                    LOG.info(e.getMessage());
                } catch (RuntimeException e) {
                    // recorded in lastError by execute
                } finally {
                    end(mine);
                }
            });
        } catch (RuntimeException e) {
            end(mine);
            return false;
        }
        return true;
    }

    private void end(Build build) {
        progress = null;
        running.compareAndSet(build, null);
        build.done().countDown();
    }

    private BuildResult execute(ProgressListener caller) {
        BuildProgress[] finalEvent = new BuildProgress[1];
        ProgressListener fanOut = p -> {
            progress = p;
            if (p.finished()) {
                finalEvent[0] = p;  // forwarded once the job has swapped the new index in
                return;
            }
            if (caller != null) {
                caller.onProgress(p);
            }
            notifyListeners(p);
        };
        BuildResult result;
        try {
            result = job.run(fanOut);
        } catch (IndexBusyException e) {
            throw new Busy(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed("the index build was interrupted", e);
        } catch (Exception e) {
            throw failed("the index build failed: " + e.getMessage(), e);
        }
        lastBuild = result;
        lastError = null;
        if (finalEvent[0] != null) {
            if (caller != null) {
                try {
                    caller.onProgress(finalEvent[0]);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "progress listener failed on the final event", e);
                }
            }
            notifyListeners(finalEvent[0]);
        }
        return result;
    }

    private BuildFailedException failed(String message, Exception cause) {
        String text = message + (serving.getAsBoolean() ? "; the previous index is still served" : "");
        lastError = message;
        LOG.log(Level.WARNING, text, cause);
        return new BuildFailedException(text, cause);
    }

    private void notifyListeners(BuildProgress p) {
        for (ProgressListener l : listeners) {
            try {
                l.onProgress(p);
            } catch (RuntimeException e) {
                // one broken subscriber (say, a closed SSE stream) must not stop the build
                LOG.log(Level.FINE, "progress listener failed", e);
            }
        }
    }

    void addListener(ProgressListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    void removeListener(ProgressListener l) {
        listeners.remove(l);
    }

    /** Waits until no build runs; true if idle within the timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Build b = running.get(); b != null; b = running.get()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            b.done().await(left, TimeUnit.NANOSECONDS);
        }
        return true;
    }

    /** Interrupts a running asynchronous build and waits (30 s at most) for it to stop. */
    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("the index build did not stop within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
