package com.imageretrieval.analysis;

import com.imageretrieval.common.DaemonThreads;
import com.imageretrieval.index.VectorMatrix;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs work over row blocks of a matrix on a few threads. Blocks of {@link #BLOCK} rows keep two blocks of 2048-d
 * vectors (2 x 512 KiB) in the L2 cache while every pair between them is scored.
 */
final class PairBlocks {

    /** Rows per block. */
    static final int BLOCK = 64;

    /** All-pairs work is CPU-bound: the cores, at most 4 (the search pool's limit too); a property may lower it. */
    static final int THREADS = Math.max(1, Integer.getInteger("imageretrieval.analysisThreads",
            Math.min(4, Runtime.getRuntime().availableProcessors())));

    private PairBlocks() {
    }

    /** What one thread does with one block of rows [blockStart, blockEnd); {@code worker} is that thread's own. */
    interface BlockTask<W> {
        void run(W worker, int blockStart, int blockEnd);
    }

    /**
     * Calls {@code task} for every block of rows of {@code m} on up to {@link #THREADS} threads, each with its own
     * worker state from {@code newWorker}. Blocks are handed out in order (block 0 first) from one counter, so
     * threads finish together even when the work per block shrinks, as in an upper-triangle scan.
     *
     * @return the worker states, one per thread used, in a fixed order
     */
    static <W> List<W> forEachBlock(VectorMatrix m, Supplier<W> newWorker, BlockTask<W> task) {
        int rows = m.rows();
        int blocks = (rows + BLOCK - 1) / BLOCK;
        int threads = Math.max(1, Math.min(THREADS, blocks));
        AtomicInteger next = new AtomicInteger();
        List<W> workers = new ArrayList<>(threads);
        List<Runnable> loops = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            W w = newWorker.get();
            workers.add(w);
            loops.add(() -> {
                // an interrupt (the caller gave up) stops at the next block; the caller then throws, never
                // returning the partial work
                for (int b = next.getAndIncrement(); b < blocks && !Thread.currentThread().isInterrupted();
                     b = next.getAndIncrement()) {
                    int start = b * BLOCK;
                    task.run(w, start, Math.min(rows, start + BLOCK));
                }
            });
        }
        if (threads == 1) {
            loops.get(0).run();
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while scoring image pairs");
            }
            return workers;
        }
        // short-lived threads of our own: this runs for seconds and must not hold a shared pool (searches, the
        // common fork-join pool) meanwhile; the calling thread does one share itself
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, DaemonThreads.named("analysis-pairs"));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 1; t < threads; t++) {
                futures.add(pool.submit(loops.get(t)));
            }
            loops.get(0).run();
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scoring image pairs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return workers;
    }
}
