package com.imageretrieval.features;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.imageretrieval.common.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ONNX Runtime sessions of one model, and the rule that gives each run its share of the CPU ({@link Threading}).
 *
 * <p>The cores are tokens ({@link Cores}, one pool shared by every model of the process). In {@link Threading#ADAPTIVE}
 * mode a run that finds the machine idle (every token free, no one waiting) takes all of them and the <em>wide</em>
 * session, whose intra-op threads cover every core: a lone search is answered fastest. Any other run takes one token
 * and the <em>narrow</em> session (one intra-op thread): under load, runs go side by side, one per core, and none waits
 * at another's operator barriers. {@link Threading#THROUGHPUT} has only the narrow session (the command line's build,
 * and the text encoder, whose runs are short and not worth a second copy of its weights). On a GPU there is one
 * session and one run at a time, outside the CPU's pool; on a one-core machine, one session and one run at a time.
 *
 * <p>Thread-safe. A run waits (first come, first served) until its tokens are free.
 */
public final class ModelRuns implements AutoCloseable {

    /** Intra-op threads = cores; null when only narrow runs are made. */
    private final OrtSession wide;
    /** One intra-op thread (on a GPU or a one-core machine: the only session). */
    private final OrtSession narrow;
    private final Cores cores;
    private final List<AutoCloseable> owned;
    private final LongAdder wideRuns = new LongAdder();
    private final LongAdder narrowRuns = new LongAdder();

    private ModelRuns(OrtSession wide, OrtSession narrow, Cores cores, List<AutoCloseable> owned) {
        this.wide = wide;
        this.narrow = narrow;
        this.cores = cores;
        this.owned = owned;
    }

    /**
     * Creates the sessions the mode needs from the model's bytes, on this machine's cores (shared with every other
     * model of the process) or on the GPU; nothing stays open if one fails.
     */
    public static ModelRuns open(OrtEnvironment env, byte[] model, Threading threading, boolean cuda)
            throws OrtException {
        return open(env, model, threading, cuda ? new Cores(1) : Cores.machine(), cuda);
    }

    /** The same on a given pool of cores (tests; a GPU model's pool is its own single token). */
    static ModelRuns open(OrtEnvironment env, byte[] model, Threading threading, Cores pool, boolean cuda)
            throws OrtException {
        List<AutoCloseable> owned = new ArrayList<>();
        int cores = pool.count();
        try {
            if (cuda || cores <= 1) {
                // on the GPU the CPU threads only serve the operators left to the CPU: as before, all of them
                OrtSession only = session(env, model, cuda ? OnnxEmbedder.sessionOptions(true)
                        : OnnxEmbedder.sessionOptions(false, 1), owned);
                return new ModelRuns(null, only, pool, owned);
            }
            if (threading != Threading.ADAPTIVE) {
                return new ModelRuns(null, session(env, model, OnnxEmbedder.sessionOptions(false, 1), owned), pool,
                        owned);
            }
            // Creating a session is mostly single-threaded graph optimisation: the two are made side by side, so the
            // second one adds memory but hardly any start-up time. On a thread of its own, not the common pool: on
            // 2 cores that has one thread, busy hashing the model.
            List<AutoCloseable> narrowOwned = new ArrayList<>();
            CompletableFuture<OrtSession> narrowing = CompletableFuture.supplyAsync(() -> {
                try {
                    return session(env, model, OnnxEmbedder.sessionOptions(false, 1), narrowOwned);
                } catch (OrtException e) {
                    throw new CompletionException(e);
                }
            }, r -> DaemonThreads.named("onnx-session").newThread(r).start());
            OrtSession wide;
            try {
                wide = session(env, model, OnnxEmbedder.sessionOptions(false, cores), owned);
            } finally {
                // whatever happened to the wide one, the narrow one is owned (and closed on failure) from here on
                try {
                    narrowing.join();
                } catch (CompletionException ignored) {
                    // rethrown below
                }
                owned.addAll(0, narrowOwned);
            }
            OrtSession narrow = narrowing.join();
            return new ModelRuns(wide, narrow, pool, owned);
        } catch (CompletionException e) {
            closeAll(owned);
            if (e.getCause() instanceof OrtException o) {
                throw o;
            }
            throw e;
        } catch (OrtException | RuntimeException | LinkageError e) {
            closeAll(owned);
            throw e;
        }
    }

    private static OrtSession session(OrtEnvironment env, byte[] model, OrtSession.SessionOptions options,
            List<AutoCloseable> owned) throws OrtException {
        owned.add(options);
        OrtSession s = env.createSession(model, options);
        owned.add(0, s); // sessions close before their options
        return s;
    }

    /** A session to read the model's inputs and outputs from, and for the probe run at start-up. */
    public OrtSession any() {
        return wide != null ? wide : narrow;
    }

    /** Runs that can go at once, one per token. */
    int parallelRuns() {
        return cores.count();
    }

    /** One run with the tokens it can get; the tokens are back before the caller reads the outputs. */
    public OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs)
            throws OrtException, InterruptedException {
        int taken = take();
        try {
            (taken > 1 ? wideRuns : narrowRuns).increment();
            return (taken > 1 ? wide : narrow).run(inputs, outputs);
        } finally {
            give(taken);
        }
    }

    /** Waits for this run's share: every token on an idle machine (wide run), else one (narrow run). */
    int take() throws InterruptedException {
        if (wide != null && cores.tryTakeAll()) {
            return cores.count();
        }
        cores.takeOne();
        return 1;
    }

    void give(int taken) {
        cores.give(taken);
    }

    /** Runs made so far over every core and on one core (the latter under load, or in THROUGHPUT mode). */
    RunCount counts() {
        return new RunCount(wideRuns.sum(), narrowRuns.sum());
    }

    @Override
    public void close() {
        closeAll(owned);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing native handles: nothing useful to do with a failure here
            }
        }
    }
}
