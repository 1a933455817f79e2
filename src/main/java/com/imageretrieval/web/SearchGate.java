package com.imageretrieval.web;

import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bounds the work and memory searches may take, in two steps (plain Java, so it is unit-tested without a server):
 * <ol>
 *   <li><b>Admission</b>, before the upload is read: at most {@code running + queued} searches are in the server at
 *       once, each holding at most MAX_UPLOAD_MB of body. One more is refused at once (503), so memory stays bounded
 *       however many clients call.</li>
 *   <li><b>Inference</b>, around decoding and the model: at most {@code running} at a time; an admitted search waits
 *       for its turn at most {@code waitMillis}, then it is refused (503) rather than held forever.</li>
 * </ol>
 * Both use non-blocking or timed {@link Semaphore} acquisition, so no request thread is parked without a limit.
 * A third, separate bound counts the threads draining bodies of requests answered early ({@link #tryDrain()}).
 */
public final class SearchGate {

    /** Thrown when a search cannot be run now; the caller answers 503 with Retry-After. */
    public static final class OverloadedException extends Exception {
        private static final long serialVersionUID = 1L;

        OverloadedException(String message) {
            super(message);
        }
    }

    /** Work run under an inference permit. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final int running;
    private final int queued;
    private final long waitMillis;
    private final Semaphore admission;
    private final Semaphore inference;
    private final Semaphore drains;
    private final LongAdder refused = new LongAdder();

    public SearchGate(int running, int queued, long waitMillis) {
        if (running < 1 || queued < 0 || waitMillis < 0) {
            throw new IllegalArgumentException("running >= 1, queued >= 0, waitMillis >= 0");
        }
        this.running = running;
        this.queued = queued;
        this.waitMillis = waitMillis;
        this.admission = new Semaphore(running + queued);
        this.inference = new Semaphore(running, true); // fair: first come, first served
        this.drains = new Semaphore(running + queued);
    }

    private volatile boolean closed;

    /** Admits one search, or returns empty when {@code running + queued} are already in (or the gate is closed). */
    public Optional<Ticket> tryAdmit() {
        if (!closed && admission.tryAcquire()) {
            return Optional.of(new Ticket(admission));
        }
        refused.increment();
        return Optional.empty();
    }

    /**
     * A place to drain the unread rest of a body after its request was answered (see {@code UploadGuardFilter}): a
     * thread reading and dropping bytes, holding no memory. These places are apart from the searches' ({@code
     * running + queued} of them), so a refused upload never takes a search's place, and their number is bounded the
     * same way. A refusal here is no refused search: the request was answered; only its drain is skipped.
     */
    public Optional<Ticket> tryDrain() {
        return !closed && drains.tryAcquire() ? Optional.of(new Ticket(drains)) : Optional.empty();
    }

    /**
     * For undeploy: admits nothing more and waits up to {@code millis} for the searches in flight to finish (their
     * model runs must end before the model session is closed). True when none is left running.
     */
    public boolean closeAndDrain(long millis) throws InterruptedException {
        closed = true;
        if (inference.tryAcquire(running, millis, TimeUnit.MILLISECONDS)) {
            return true; // kept: nothing runs on this gate again
        }
        return false;
    }

    /** Runs {@code work} once one of the {@code running} permits is free, waiting at most the configured time. */
    public <T, E extends Exception> T infer(Work<T, E> work) throws E, OverloadedException, InterruptedException {
        if (closed) {
            throw new OverloadedException("the application is shutting down; try again shortly");
        }
        if (!inference.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
            refused.increment();
            throw new OverloadedException("the server is busy: " + running + " searches are running and none "
                    + "finished within " + waitMillis + " ms; try again shortly");
        }
        try {
            return work.run();
        } finally {
            inference.release();
        }
    }

    /** Searches admitted now (running, reading their upload or waiting for the model). */
    public int admitted() {
        return running + queued - admission.availablePermits();
    }

    /** Searches refused so far (admission full, or no model permit in time): each was answered 503. */
    public long refused() {
        return refused.sum();
    }

    public int running() {
        return running;
    }

    public int queued() {
        return queued;
    }

    public String overloadMessage() {
        return "the server is busy: " + (running + queued) + " searches are already in progress (MAX_CONCURRENT_SEARCHES="
                + running + ", MAX_QUEUED_SEARCHES=" + queued + "); try again shortly";
    }

    /** One admitted search (or drain); closing it (once) lets the next one in. */
    public static final class Ticket implements AutoCloseable {
        private final Semaphore places;
        private boolean closed;

        private Ticket(Semaphore places) {
            this.places = places;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                places.release();
            }
        }
    }
}
