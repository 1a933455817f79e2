package com.imageretrieval.index;

import com.imageretrieval.common.Checksums;
import com.imageretrieval.common.DaemonThreads;
import com.imageretrieval.features.Embedder;
import com.imageretrieval.image.DecodedImage;
import com.imageretrieval.image.ImageDecodeException;
import com.imageretrieval.image.ImageDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Brings the stored index of a backend ({@link IndexStore}, or OpenSearch) up to date with the dataset folder,
 * incrementally, committed once at the end (see {@link IndexWriter}): a file whose size and mtime match its row is
 * kept without being read; a file whose size or mtime changed is hashed and only re-embedded if its content changed;
 * rows made by another model are re-embedded; rows of deleted files are removed. A file that cannot be read or decoded is logged, counted as failed and skipped.
 *
 * <p>Pipelined in three stages: producer threads read, hash, decode and {@link Embedder#preprocess} files into a
 * bounded queue (the bound caps memory at a few tensors per producer); the calling thread takes them in batches and
 * hands each batch to one of {@link Embedder#parallelRuns()} model threads ({@link Embedder#embedPreprocessed}: one
 * model call per batch is what makes a GPU pay off), then writes the vectors that came back in the backend's batches
 * (JDBC batches or bulk requests). Decoding, model runs and writes overlap, so the build runs at the speed of the
 * slowest stage, and the model never waits for the database.
 *
 * <p>Not thread-safe: one build at a time per store (the engine enforces it).
 */
public final class IndexBuilder {

    private static final Logger LOG = Logger.getLogger(IndexBuilder.class.getName());

    private final IndexBackend store;
    private final Embedder embedder;
    private final ImageDecoder decoder;
    private final Path datasetRoot;
    private int producers = defaultProducers();
    private int batchSize = 8;
    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;

    /** MAX_FILE_MB's default: larger dataset files are skipped (counted failed), never read. */
    public static final long DEFAULT_MAX_FILE_BYTES = 50L * 1024 * 1024;

    public IndexBuilder(IndexBackend store, Embedder embedder, ImageDecoder decoder, Path datasetRoot) {
        this.store = Objects.requireNonNull(store);
        this.embedder = Objects.requireNonNull(embedder);
        this.decoder = Objects.requireNonNull(decoder);
        this.datasetRoot = Objects.requireNonNull(datasetRoot);
    }

    /**
     * One producer per core but one (the last core is the consumer's model run), and at least 2. Producers block on
     * the bounded queue once they are ahead, so a spare one costs memory, not CPU, while the model is the bottleneck;
     * when decoding is the bottleneck it helps: measured on 2 cores with the fake model, 3,670 JPEGs of 500x333,
     * 1 producer gave 115 images/s and 2 gave 187 images/s.
     */
    public static int defaultProducers() {
        return Math.max(2, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** Number of reader/decoder threads. */
    public IndexBuilder producers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("producers must be >= 1, got " + n);
        }
        this.producers = n;
        return this;
    }

    /** Largest file read (MAX_FILE_MB); larger ones are counted failed with the reason, the build goes on. */
    public IndexBuilder maxFileBytes(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("max file bytes must be >= 1, got " + n);
        }
        this.maxFileBytes = n;
        return this;
    }

    /** Images per model call. */
    public IndexBuilder batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + n);
        }
        this.batchSize = n;
        return this;
    }

    private enum Kind { EMBED, TOUCH, FAILED, FATAL }

    /** What needs work: a file that is new, changed on disk, or has a stale vector. */
    private record Work(DatasetScanner.ScannedFile file, StoredImage stored) {
    }

    private record Result(Kind kind, Work work, String sha256, int width, int height, float[] tensor,
                          Throwable error) {
    }

    /**
     * Runs the build. Progress goes to {@code listener} after every model batch (and every {@code batchSize} skipped
     * or unchanged files), then once more with {@code finished=true} after the commit.
     *
     * @throws IOException          if the dataset folder cannot be listed
     * @throws IndexStoreException  if the database cannot be written (the previous index stays)
     * @throws InterruptedException if the thread is interrupted (the previous index stays)
     * @throws RuntimeException     from the embedder or the listener (the previous index stays)
     */
    public BuildResult build(ProgressListener listener)
            throws IOException, IndexStoreException, InterruptedException {
        long start = System.nanoTime();
        List<DatasetScanner.ScannedFile> files = DatasetScanner.scan(datasetRoot);
        Map<String, StoredImage> stored = store.storedImages();
        String modelHash = embedder.modelHash();

        List<Work> work = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int unchanged = 0;
        for (DatasetScanner.ScannedFile f : files) {
            seen.add(f.path());
            StoredImage s = stored.get(f.path());
            boolean same = s != null && s.record().size() == f.size() && s.record().mtime() == f.mtime()
                    && modelHash.equals(s.modelHash()) && s.record().label().equals(f.label());
            if (same) {
                unchanged++;
            } else {
                work.add(new Work(f, s));
            }
        }

        Counters c = new Counters(files.size(), unchanged, start, listener);
        try (IndexWriter writer = store.beginWrite(modelHash, embedder.dimension())) {
            for (StoredImage s : stored.values()) {
                if (!seen.contains(s.record().path())) {
                    writer.delete(s.record().id());
                    c.removed++;
                }
            }
            writer.flush();
            c.report(false);
            if (!work.isEmpty()) {
                runPipeline(work, writer, c, modelHash);
            }
            int rows = files.size() - c.failed;
            writer.commit(new IndexMetadata(embedder.modelName(), modelHash, embedder.dimension(), embedder.device(),
                    Instant.now(), rows));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        double rate = c.rate();
        BuildResult result = new BuildResult(files.size(), c.embedded, c.unchanged + c.touched, c.removed, c.failed,
                millis, rate, Instant.now(), c.failures);
        try {
            listener.onProgress(new BuildProgress(files.size(), files.size(), c.failed, rate, 0, true));
        } catch (RuntimeException e) {
            // the build is committed: a listener failing now cannot undo it
            LOG.log(Level.WARNING, "progress listener failed on the final event", e);
        }
        LOG.info(() -> "index build: " + result);
        return result;
    }

    /** Progress bookkeeping of one build (consumer thread only). */
    private static final class Counters {
        final int total;
        final int unchanged;
        final long start;
        final ProgressListener listener;
        int embedded;
        int touched;
        int failed;
        int removed;
        int processed;
        final List<BuildFailure> failures = new ArrayList<>();

        Counters(int total, int unchanged, long start, ProgressListener listener) {
            this.total = total;
            this.unchanged = unchanged;
            this.start = start;
            this.listener = listener;
        }

        double rate() {
            double seconds = (System.nanoTime() - start) / 1e9;
            return seconds <= 0 ? 0 : processed / seconds;
        }

        void report(boolean finished) {
            int done = unchanged + processed;
            double rate = rate();
            long eta = finished ? 0 : rate > 0 ? Math.round((total - done) / rate) : -1;
            listener.onProgress(new BuildProgress(done, total, failed, rate, eta, finished));
        }
    }

    /** A batch of tensors and, once the model has run, their vectors. */
    private record Batch(List<Result> items, float[][] vectors) {
    }

    private void runPipeline(List<Work> work, IndexWriter writer, Counters c, String modelHash)
            throws IndexStoreException, InterruptedException {
        int threads = Math.min(producers, work.size());
        int runners = Math.max(1, embedder.parallelRuns());
        BlockingQueue<Result> queue = new ArrayBlockingQueue<>(Math.max(batchSize * 2, threads * 4));
        AtomicInteger next = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(threads, DaemonThreads.named("index-reader"));
        ExecutorService models = Executors.newFixedThreadPool(runners, DaemonThreads.named("index-model"));
        CompletionService<Batch> embedded = new ExecutorCompletionService<>(models);
        int inFlight = 0;
        try {
            for (int i = 0; i < threads; i++) {
                readers.execute(() -> produce(work, next, queue, modelHash));
            }
            List<Result> batch = new ArrayList<>(batchSize);
            int sinceReport = 0;
            for (int received = 0; received < work.size(); received++) {
                Result r = queue.take();
                switch (r.kind()) {
                    case FATAL -> throw new IllegalStateException("reading " + r.work().file().path() + " failed",
                            r.error());
                    case FAILED -> {
                        c.failed++;
                        c.processed++;
                        sinceReport++;
                        LOG.warning("skipping " + r.work().file().file() + ": " + r.error());
                        if (c.failures.size() < BuildResult.MAX_LISTED_FAILURES) {
                            c.failures.add(new BuildFailure(r.work().file().path(), reason(r.error())));
                        }
                        if (r.work().stored() != null) {
                            // its old vector describes content that is gone
                            writer.delete(r.work().stored().record().id());
                        }
                    }
                    case TOUCH -> {
                        DatasetScanner.ScannedFile f = r.work().file();
                        writer.touch(r.work().stored().record().id(), f.size(), f.mtime());
                        c.touched++;
                        c.processed++;
                        sinceReport++;
                    }
                    case EMBED -> batch.add(r);
                    default -> throw new AssertionError(r.kind());
                }
                boolean last = received == work.size() - 1;
                if (batch.size() >= batchSize || (last && !batch.isEmpty())) {
                    // The model threads never wait for the writer: when all are busy, take a finished batch, hand
                    // the next one over at once, and only then write the finished one's rows.
                    Future<Batch> finished = inFlight == runners ? embedded.take() : null;
                    List<Result> items = List.copyOf(batch);
                    batch.clear();
                    embedded.submit(() -> new Batch(items, embedder.embedPreprocessed(tensors(items))));
                    if (finished != null) {
                        write(finished, writer, c, modelHash);
                    } else {
                        inFlight++;
                    }
                    sinceReport = 0;
                } else if (sinceReport >= batchSize || (last && sinceReport > 0)) {
                    writer.flush();
                    sinceReport = 0;
                    c.report(false);
                }
            }
            for (; inFlight > 0; inFlight--) {
                write(embedded.take(), writer, c, modelHash);
            }
        } finally {
            // on failure this interrupts producers blocked on the full queue and model threads waiting for a run;
            // then wait for the ones still working, so none touches the embedder after the build returned (the
            // engine may be closing it)
            readers.shutdownNow();
            models.shutdownNow();
            awaitQuietly(readers);
            awaitQuietly(models);
        }
    }

    private static List<float[]> tensors(List<Result> items) {
        List<float[]> tensors = new ArrayList<>(items.size());
        for (Result r : items) {
            tensors.add(r.tensor());
        }
        return tensors;
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warning("index build threads did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes the rows of a batch the model has run (an embedder failure fails the build, as before). */
    private void write(Future<Batch> done, IndexWriter writer, Counters c, String modelHash)
            throws IndexStoreException, InterruptedException {
        Batch batch;
        try {
            batch = done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("the model run failed: " + cause, cause);
        }
        List<Result> items = batch.items();
        float[][] vectors = batch.vectors();
        if (vectors.length != items.size()) {
            throw new IllegalStateException("the embedder returned " + vectors.length + " vectors for "
                    + items.size() + " images");
        }
        for (int i = 0; i < items.size(); i++) {
            Result r = items.get(i);
            float[] v = checkVector(vectors[i], r.work().file().path());
            DatasetScanner.ScannedFile f = r.work().file();
            StoredImage old = r.work().stored();
            ImageRecord rec = new ImageRecord(old == null ? 0 : old.record().id(), f.path(), f.label(), f.size(),
                    f.mtime(), r.sha256(), r.width(), r.height());
            if (old == null) {
                writer.insert(rec, v, modelHash);
            } else {
                writer.update(old.record().id(), rec, v, modelHash);
            }
        }
        writer.flush();
        c.embedded += items.size();
        c.processed += items.size();
        c.report(false);
    }

    private float[] checkVector(float[] v, String path) {
        if (v == null || v.length != embedder.dimension()) {
            throw new IllegalStateException("the embedder returned a vector of " + (v == null ? 0 : v.length)
                    + " values for " + path + ", expected " + embedder.dimension());
        }
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        if (!Double.isFinite(norm) || norm == 0) {
            throw new IllegalStateException("the embedder returned a zero or non-finite vector for " + path);
        }
        return v;
    }

    /** Producer loop: exactly one result per work item it takes, whatever happens. */
    private void produce(List<Work> work, AtomicInteger next, BlockingQueue<Result> queue, String modelHash) {
        try {
            for (int i = next.getAndIncrement(); i < work.size(); i = next.getAndIncrement()) {
                queue.put(process(work.get(i), modelHash));
            }
        } catch (InterruptedException e) {
            // the build was aborted
            Thread.currentThread().interrupt();
        }
    }

    private Result process(Work w, String modelHash) {
        try {
            byte[] bytes = readAtMost(w.file().file(), maxFileBytes);
            String sha = Checksums.sha256Hex(bytes);
            StoredImage s = w.stored();
            if (s != null && sha.equals(s.record().sha256()) && modelHash.equals(s.modelHash())
                    && s.record().label().equals(w.file().label())) {
                return new Result(Kind.TOUCH, w, sha, 0, 0, null, null);
            }
            DecodedImage img = decoder.decode(bytes);
            float[] tensor = embedder.preprocess(img.image());
            return new Result(Kind.EMBED, w, sha, img.width(), img.height(), tensor, null);
        } catch (IOException | ImageDecodeException e) {
            return new Result(Kind.FAILED, w, null, 0, 0, null, e);
        } catch (RuntimeException e) {
            // a decoder or preprocess bug on one odd file: skip that file, keep the build
            return new Result(Kind.FAILED, w, null, 0, 0, null,
                    new IOException("cannot process " + w.file().path() + ": " + e, e));
        } catch (OutOfMemoryError | StackOverflowError e) {
            // One file too big or too deep for this JVM fails alone (its buffers are garbage now); the build goes on.
            return new Result(Kind.FAILED, w, null, 0, 0, null, new IOException("cannot process " + w.file().path()
                    + ": " + e, e));
        } catch (Error e) {
            return new Result(Kind.FATAL, w, null, 0, 0, null, e);
        }
    }

    // ---------------------------------------------------------------- issue 10: no single file fails a build

    /** Thrown for a file over MAX_FILE_MB; its message is the public reason. */
    private static final class TooLargeFile extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeFile(String message) {
            super(message);
        }
    }

    /**
     * The file's bytes, refusing one over {@code max} before reading it (from its size) and while reading it (a file
     * that grows meanwhile), so no single file can exhaust the heap.
     */
    static byte[] readAtMost(Path file, long max) throws IOException {
        long size = Files.size(file);
        String limit = "larger than MAX_FILE_MB=" + Math.max(1, max / (1024 * 1024)) + " ";
        if (size > max) {
            throw new TooLargeFile(limit + "(" + size / (1024 * 1024) + " MB)");
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new TooLargeFile(limit + "(it grew while being read)");
            }
            return bytes;
        }
    }

    /** A reason for operators without absolute paths or library internals (those go to the log). */
    private static String reason(Throwable e) {
        if (e instanceof TooLargeFile) {
            return e.getMessage();
        }
        if (e instanceof ImageDecodeException d) {
            return switch (d.kind()) {
                case EMPTY -> "empty file";
                case TOO_LARGE -> "image over MAX_IMAGE_PIXELS";
                case UNSUPPORTED_TYPE -> "not a supported image type";
                default -> "corrupt or truncated image";
            };
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "cannot be read: permission denied";
        }
        return "cannot be read or processed (" + e.getClass().getSimpleName() + "; details in the server log)";
    }

}
