package com.imageretrieval.features;

import java.util.concurrent.Semaphore;

/**
 * The CPU cores as tokens, one pool for every model a process runs (the image model and the text encoder alike), so
 * that the rule of {@link ModelRuns} holds across models: a run goes over every core only when no run of any model
 * holds one, and otherwise takes a single core. Two pools would let a text run and an image run each believe the
 * machine idle and meet at each other's operator barriers, the very stall the rule is there to prevent.
 *
 * <p>Thread-safe. Waiting is first come, first served.
 */
final class Cores {

    private static final Cores MACHINE = new Cores(Runtime.getRuntime().availableProcessors());

    private final int count;
    private final Semaphore free;

    Cores(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one core, got " + count);
        }
        this.count = count;
        this.free = new Semaphore(count, true);
    }

    /** The cores of this machine: the pool every model of the process shares. */
    static Cores machine() {
        return MACHINE;
    }

    int count() {
        return count;
    }

    /** Every core, when all are free and no run waits (tryAcquire would barge past waiting runs); else none. */
    boolean tryTakeAll() {
        return !free.hasQueuedThreads() && free.tryAcquire(count);
    }

    /** One core, waiting for it in turn. */
    void takeOne() throws InterruptedException {
        free.acquire(1);
    }

    void give(int taken) {
        free.release(taken);
    }
}
