package com.imageretrieval.features;

/**
 * How an {@link OnnxEmbedder} spreads model runs over the CPU cores, and so how many runs it lets go side by side
 * ({@link Embedder#parallelRuns()}). One place decides it for the whole application: searches and builds only ask.
 *
 * <p>Why it matters: ONNX Runtime splits each operator of one run over its intra-op threads, which meet at a barrier
 * after every operator. When more runnable threads than cores compete (two runs of two threads each on two cores, or
 * one run next to the image decoders of a build), a thread that is descheduled holds up its partners at every
 * barrier, and the run slows down far more than its share of the CPU. Measured on 2 cores with a ResNet-50-shaped
 * model (docs/performance.md, issue 13): two searches running the model at once took 52 ms each instead of 18, and a
 * build's model thread next to its decoders ran at 0.88 of ONNX Runtime alone.
 */
public enum Threading {

    /**
     * Each run uses every core, and runs go one at a time: a single image is answered fastest. The searches' mode:
     * a second search decodes and preprocesses while the first runs the model, then waits its turn.
     */
    LATENCY,

    /**
     * Each run uses one core, and as many runs as there are cores go side by side, so no run waits for another at a
     * barrier. For bulk index builds, where no one waits for a single batch; a single image takes about cores times
     * longer than in {@link #LATENCY}.
     */
    THROUGHPUT;

    /** Intra-op threads of one run on a CPU with {@code cores} cores. */
    public int intraOpThreads(int cores) {
        return this == LATENCY ? Math.max(1, cores) : 1;
    }

    /** Runs that may execute at once on the CPU: the cores divided among the runs' threads. */
    public int parallelRuns(int cores) {
        return Math.max(1, Math.max(1, cores) / intraOpThreads(cores));
    }
}
