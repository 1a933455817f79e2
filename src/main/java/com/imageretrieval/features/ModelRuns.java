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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The ONNX Runtime sessions of one model, and the rule that gives each run its share of the CPU ({@link Threading}).
 *
 * <p>The cores are tokens. In {@link Threading#ADAPTIVE} mode a run that finds the machine idle (every token free, no
 * one waiting) takes all of them and the <em>wide</em> session, whose intra-op threads cover every core: a lone search
 * is answered fastest. Any other run takes one token and the <em>narrow</em> session (one intra-op thread): under load,
 * runs go side by side, one per core, and none waits at another's operator barriers. {@link Threading#THROUGHPUT} has
 * only the narrow session. On a GPU, or with one core, there is one session and one run at a time.
 *
 * <p>Thread-safe. A run waits (first come, first served) until its tokens are free.
 */
final class ModelRuns implements AutoCloseable {

    /** Intra-op threads = cores; null when only narrow runs are made. */
    private final OrtSession wide;
    /** One intra-op thread (on a GPU or a one-core machine: the only session). */
    private final OrtSession narrow;
    private final int tokens;
    private final Semaphore free;
    private final List<AutoCloseable> owned;
    private final LongAdder wideRuns = new LongAdder();
    private final LongAdder narrowRuns = new LongAdder();

    private ModelRuns(OrtSession wide, OrtSession narrow, int tokens, List<AutoCloseable> owned) {
        this.wide = wide;
        this.narrow = narrow;
        this.tokens = tokens;
        this.free = new Semaphore(tokens, true);
        this.owned = owned;
    }

    /** Creates the sessions the mode needs from the model's bytes; nothing stays open if one fails. */
    static ModelRuns open(OrtEnvironment env, byte[] model, Threading threading, boolean cuda, int cores)
            throws OrtException {
        List<AutoCloseable> owned = new ArrayList<>();
        try {
            if (cuda || cores <= 1) {
                OrtSession only = session(env, model, OnnxEmbedder.sessionOptions(cuda, Math.max(1, cores)), owned);
                return new ModelRuns(null, only, 1, owned);
            }
            if (threading != Threading.ADAPTIVE) {
                return new ModelRuns(null, session(env, model, OnnxEmbedder.sessionOptions(false, 1), owned), cores,
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
            return new ModelRuns(wide, narrow, cores, owned);
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
    OrtSession any() {
        return wide != null ? wide : narrow;
    }

    /** Runs that can go at once, one per token. */
    int parallelRuns() {
        return tokens;
    }

    /** One run with the tokens it can get; the tokens are back before the caller reads the outputs. */
    OrtSession.Result run(Map<String, OnnxTensor> inputs, Set<String> outputs)
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
        // tryAcquire barges past waiting threads even on a fair semaphore: only an idle machine gets the wide run
        if (wide != null && !free.hasQueuedThreads() && free.tryAcquire(tokens)) {
            return tokens;
        }
        free.acquire(1);
        return 1;
    }

    void give(int taken) {
        free.release(taken);
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
