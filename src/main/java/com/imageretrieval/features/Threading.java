package com.imageretrieval.features;

/**
 * How an {@link OnnxEmbedder} spreads model runs over the CPU cores. One place decides it for the whole application
 * ({@link ModelRuns}); searches and builds only ask how many runs may go at once ({@link Embedder#parallelRuns()}).
 *
 * <p>Why it matters: ONNX Runtime splits each operator of one run over its intra-op threads, which meet at a barrier
 * after every operator. When more threads want to run than there are cores (two runs of two threads each on two
 * cores, or one run next to request threads decoding uploads), a descheduled thread holds up its partners at every
 * barrier and the run slows down far more than its share of the CPU. Measured on 2 cores with a ResNet-50-shaped
 * model (docs/performance.md, issue 13): two searches running the model at once took 52 ms each instead of 18, and a
 * build's model thread next to its decoders ran at 0.88 of ONNX Runtime alone. Single-threaded runs side by side do
 * not have that problem, and give the same throughput as one run over all cores (55-57 images/s either way there).
 */
public enum Threading {

    /**
     * A run that finds the machine idle uses every core (fastest answer for a lone search); runs that meet others use
     * one core each, side by side. Costs a second session of the model (its weights once more in native memory).
     * For servers and anything that answers searches.
     */
    ADAPTIVE,

    /**
     * Every run uses one core, as many side by side as there are cores; one session. For a process that only builds
     * (the command line's build-index), where no one waits for a single batch.
     */
    THROUGHPUT
}
