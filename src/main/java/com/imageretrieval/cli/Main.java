package com.imageretrieval.cli;

import com.imageretrieval.analysis.EvaluationResult;
import com.imageretrieval.analysis.NearDuplicates;
import com.imageretrieval.config.AppConfig;
import com.imageretrieval.config.ConfigException;
import com.imageretrieval.dataset.DatasetInstaller;
import com.imageretrieval.dataset.DownloadProgress;
import com.imageretrieval.dataset.InstallListener;
import com.imageretrieval.dataset.ModelInstaller;
import com.imageretrieval.json.Json;
import com.imageretrieval.json.JsonAssembler;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Command-line entry point ({@code java -jar target/image-retrieval-cli.jar <command>}): fetch the dataset and the
 * model, build the index, search it, evaluate it, find its duplicates. Results go to stdout (search: JSON), progress and messages to stderr. Exit codes:
 * 0 success, 1 the command failed, 2 usage or configuration error. Errors are one line; {@code -Dverbose=true} adds
 * the stack trace.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Supplies the engine-backed commands, or says why there are none. */
    @FunctionalInterface
    interface IndexCommandsFactory {
        IndexCommands create() throws CommandFailedException;
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Function<String, String> environment;
    private final IndexCommandsFactory indexCommands;
    private final boolean interactive;
    private final boolean verbose;

    Main(PrintStream out, PrintStream err, Function<String, String> environment, IndexCommandsFactory indexCommands,
         boolean interactive, boolean verbose) {
        this.out = Objects.requireNonNull(out);
        this.err = Objects.requireNonNull(err);
        this.environment = Objects.requireNonNull(environment);
        this.indexCommands = Objects.requireNonNull(indexCommands);
        this.interactive = interactive;
        this.verbose = verbose;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        CliLogging.configure(Boolean.getBoolean("verbose"));
        Main main = new Main(System.out, System.err, Main::systemLookup, EngineCommands::new,
                System.console() != null, Boolean.getBoolean("verbose"));
        int code = main.run(args);
        System.out.flush();
        // exit explicitly: native inference libraries may leave non-daemon threads behind
        System.exit(code);
    }

    /** Same lookup as {@link AppConfig#fromEnvironment()}: system property first, then environment variable. */
    private static String systemLookup(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }

    int run(String[] args) {
        try {
            CommandLine cl = CommandLine.parse(Arrays.asList(args));
            return switch (cl.command()) {
                case "help" -> help();
                case "download-data" -> downloadData(config(null));
                case "download-model" -> downloadModel(config(null));
                case "build-index" -> buildIndex(cl);
                case "search" -> search(cl);
                case "evaluate" -> evaluate(cl);
                case "duplicates" -> duplicates(cl);
                default -> throw new UsageException("unknown command '" + cl.command() + "'");
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + " (see 'help')");
            trace(e);
            return USAGE;
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            trace(e);
            return USAGE;
        } catch (Exception | LinkageError e) {
            err.println("error: " + oneLine(e));
            trace(e);
            return FAILED;
        }
    }

    private AppConfig config(Path datasetRoot) {
        if (datasetRoot == null) {
            return AppConfig.from(environment);
        }
        String root = datasetRoot.toAbsolutePath().normalize().toString();
        return AppConfig.from(name -> name.equals("DATASET_DIR") ? root : environment.apply(name));
    }

    private int help() {
        out.print(USAGE_TEXT);
        return OK;
    }

    private int downloadData(AppConfig config) throws Exception {
        String name = DatasetInstaller.archivePath(config).getFileName().toString();
        DatasetInstaller.Result r = new DatasetInstaller().install(config, listener(name));
        out.println("dataset: " + r.datasetDir() + " (" + r.files() + " files, "
                + r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        return OK;
    }

    private int downloadModel(AppConfig config) throws Exception {
        ModelInstaller.Result r = new ModelInstaller().install(config, listener(config.modelPath().getFileName().toString()));
        out.println("model: " + r.modelPath() + " (" + r.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (r.sha256() == null ? "" : ", sha256 " + r.sha256()) + ")");
        return OK;
    }

    private int buildIndex(CommandLine cl) throws Exception {
        String root = cl.option("--dataset-root");
        AppConfig config = config(root == null ? null : Path.of(root));
        if (!Files.isDirectory(config.datasetDir())) {
            throw new CommandFailedException("no dataset folder at " + config.datasetDir()
                    + (root != null ? " (--dataset-root)" : " (DATASET_DIR); run download-data first"));
        }
        if (!Files.isRegularFile(config.modelPath())) {
            throw new CommandFailedException("no model at " + config.modelPath()
                    + " (MODEL_PATH); run download-model first (it fetches " + config.modelUrl() + ")");
        }
        IndexCommands commands = indexCommands.create();
        ProgressLine line = new ProgressLine(err, interactive);
        line.message("indexing " + config.datasetDir() + " into " + config.artifactsDir());
        IndexCommands.Summary s = commands.buildIndex(config, p -> line.update(ProgressLine.build(p)));
        line.finish(ProgressLine.build(new IndexCommands.Progress(s.total(), s.total(), s.failed(),
                s.imagesPerSecond(), 0)));
        out.println(ProgressLine.summary(s));
        return OK;
    }

    private int search(CommandLine cl) throws Exception {
        String query = cl.option("--query");
        String text = cl.option("--text");
        if ((query == null) == (text == null)) {
            throw new UsageException(query == null ? "search needs --query FILE (or --text TEXT)"
                    : "search takes --query FILE or --text TEXT, not both");
        }
        AppConfig config = config(null);
        int topK = cl.intOption("--topk", config.topK(), 1, 1000);
        if (text != null) {
            if (text.isBlank()) {
                throw new UsageException("--text: the text to search for is empty");
            }
            long t0 = System.nanoTime();
            List<Json.SearchResult> hits = indexCommands.create().searchText(config, text.strip(), topK);
            out.println(JsonText.write(new Json.Search(hits, topK, (System.nanoTime() - t0) / 1_000_000)));
            return OK;
        }
        Path file = Path.of(query).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new CommandFailedException("query image not found: " + file);
        }
        long t0 = System.nanoTime();
        List<Json.SearchResult> hits = indexCommands.create().search(config, file, topK);
        out.println(JsonText.write(new Json.Search(hits, topK, (System.nanoTime() - t0) / 1_000_000)));
        return OK;
    }

    private int evaluate(CommandLine cl) throws Exception {
        EvaluationResult r = indexCommands.create().evaluate(config(null));
        out.print(cl.flag("--table") ? EvaluationTable.of(r)
                : JsonText.write(JsonAssembler.evaluation(r)) + System.lineSeparator());
        return OK;
    }

    private int duplicates(CommandLine cl) throws Exception {
        double threshold = cl.doubleOption("--threshold", NearDuplicates.DEFAULT_THRESHOLD, -1, 1);
        out.println(JsonText.write(JsonAssembler.duplicates(indexCommands.create().duplicates(config(null), threshold),
                JsonAssembler.ImageUrls.NONE)));
        return OK;
    }

    private InstallListener listener(String name) {
        ProgressLine line = new ProgressLine(err, interactive);
        return new InstallListener() {
            @Override
            public void info(String message) {
                line.message(message);
            }

            @Override
            public void progress(DownloadProgress p) {
                String text = ProgressLine.download(name, p.bytes(), p.total(), p.bytesPerSecond(), p.etaSeconds());
                if (p.finished()) {
                    line.finish(text);
                } else {
                    line.update(text);
                }
            }
        };
    }

    /** The message on one line; the exception type when there is no message. */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }

    private void trace(Throwable e) {
        if (verbose) {
            e.printStackTrace(err);
        }
    }

    static final String USAGE_TEXT = """
            Usage: java -jar image-retrieval-cli.jar <command> [options]

            Commands:
              download-data                  fetch DATASET_URL into ARTIFACTS_DIR and extract it into DATASET_DIR
                                             (an archive already in ARTIFACTS_DIR is used without the network)
              download-model                 fetch MODEL_URL to MODEL_PATH and check its SHA-256
                                             (a file already at MODEL_PATH is used as it is)
              build-index [--dataset-root DIR]
                                             index every image under DATASET_DIR (or DIR); only new or changed
                                             images are embedded again
              search --query FILE [--topk N] print the N most similar images as JSON on stdout (N: TOP_K, 12)
              search --text TEXT [--topk N]  the same for a text (needs TEXT_MODEL_PATH and TOKENIZER_PATH)
              evaluate [--table]             leave-one-out retrieval quality of the index on its folder labels:
                                             P@1, P@5, P@10, mAP overall and per class, top-1 confusion (JSON,
                                             or text tables with --table)
              duplicates [--threshold T]     groups of near-identical images (cosine >= T, default 0.98) and of
                                             byte-identical files, as JSON
              help                           this text

            Configuration: environment variables or -D system properties, e.g. DATASET_DIR, ARTIFACTS_DIR,
            MODEL_PATH, MODEL_PREPROCESSING, TEXT_MODEL_PATH, TOKENIZER_PATH, DATASET_URL, MODEL_URL,
            MODEL_SHA256, ORT_DEVICE, TOP_K, MAX_IMAGE_PIXELS.
            Exit codes: 0 success, 1 the command failed, 2 usage or configuration error.
            -Dverbose=true prints stack traces with errors.
            """;
}
