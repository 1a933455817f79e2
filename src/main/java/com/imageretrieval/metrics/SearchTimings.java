package com.imageretrieval.metrics;

/**
 * A stopwatch over the stages of one search: {@link #lap} charges the time since the previous lap (or the start) to
 * a stage. One instance per search and thread; not thread-safe, allocation-free after construction.
 */
public final class SearchTimings {

    private final long start;
    private final long[] nanos = new long[SearchStage.values().length];
    private long last;

    /** Starts the clock now. */
    public SearchTimings() {
        this(System.nanoTime());
    }

    /** Starts the clock at {@code startNanos} (a {@link System#nanoTime()} reading), e.g. when the request arrived. */
    public SearchTimings(long startNanos) {
        this.start = startNanos;
        this.last = startNanos;
    }

    /** Charges the time since the last lap to {@code stage} (added, if the stage was timed before). */
    public void lap(SearchStage stage) {
        long now = System.nanoTime();
        nanos[stage.ordinal()] += now - last;
        last = now;
    }

    /** Nanoseconds charged to {@code stage} so far. */
    public long nanos(SearchStage stage) {
        return nanos[stage.ordinal()];
    }

    /** Nanoseconds from the start to the last lap. */
    public long totalNanos() {
        return last - start;
    }

    /** Whether {@code stage} was timed (a stage of zero nanoseconds counts as not timed). */
    public boolean timed(SearchStage stage) {
        return nanos[stage.ordinal()] > 0;
    }
}
