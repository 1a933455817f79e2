package com.imageretrieval.dataset;

import com.imageretrieval.config.AppConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Puts the image collection into DATASET_DIR, using the network only when it must:
 * <ol>
 *   <li>DATASET_DIR already holds a complete extraction (or images someone put there): nothing to do;</li>
 *   <li>the archive is already in ARTIFACTS_DIR (same file name as in DATASET_URL): it is extracted, offline;</li>
 *   <li>else DATASET_URL is downloaded into ARTIFACTS_DIR, then extracted.</li>
 * </ol>
 * The archive's single top folder ({@code flower_photos/}) is stripped, so the class folders sit directly under
 * DATASET_DIR. Extraction is all-or-nothing (see {@link SafeTarExtractor}).
 */
public final class DatasetInstaller {

    public enum Outcome {
        /** A complete extraction was already there. */
        ALREADY_PRESENT,
        /** DATASET_DIR holds files that download-data did not put there; they are left alone. */
        USER_PROVIDED,
        /** The archive was already in ARTIFACTS_DIR; no network was used. */
        EXTRACTED_LOCAL_ARCHIVE,
        /** The archive was downloaded, then extracted. */
        DOWNLOADED_AND_EXTRACTED
    }

    public record Result(Outcome outcome, Path datasetDir, Path archive, int files) {
    }

    private final Downloader downloader;
    private final SafeTarExtractor extractor;

    public DatasetInstaller() {
        this(new Downloader(), new SafeTarExtractor());
    }

    public DatasetInstaller(Downloader downloader, SafeTarExtractor extractor) {
        this.downloader = Objects.requireNonNull(downloader);
        this.extractor = Objects.requireNonNull(extractor);
    }

    /** True if {@code datasetDir} holds a complete extraction made by this installer. */
    public static boolean isInstalled(Path datasetDir) {
        return SafeTarExtractor.isComplete(datasetDir);
    }

    /** Where the archive for {@code config} is kept: ARTIFACTS_DIR plus the URL's last path segment. */
    public static Path archivePath(AppConfig config) {
        return config.artifactsDir().resolve(archiveFileName(config.datasetUrl()));
    }

    /** The URL's file name, restricted to safe characters (a URL must not pick a path outside ARTIFACTS_DIR). */
    static String archiveFileName(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        String safe = last.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.chars().allMatch(c -> c == '.')) {
            return "dataset.tgz";
        }
        return safe;
    }

    public Result install(AppConfig config, InstallListener listener) throws IOException {
        Path datasetDir = config.datasetDir();
        if (isInstalled(datasetDir)) {
            listener.info("dataset already present in " + datasetDir);
            return new Result(Outcome.ALREADY_PRESENT, datasetDir, null, countFiles(datasetDir));
        }
        if (hasContent(datasetDir)) {
            // Someone's own collection (or an older copy): never overwrite it, never mix an archive into it.
            listener.info("DATASET_DIR " + datasetDir + " already holds files that download-data did not put there;"
                    + " leaving them as they are (empty the folder to install " + config.datasetUrl() + ")");
            return new Result(Outcome.USER_PROVIDED, datasetDir, null, countFiles(datasetDir));
        }
        Path archive = archivePath(config);
        Outcome outcome;
        if (Files.isRegularFile(archive)) {
            listener.info("using the archive already at " + archive + " (no download)");
            outcome = Outcome.EXTRACTED_LOCAL_ARCHIVE;
        } else {
            listener.info("downloading " + config.datasetUrl() + " to " + archive);
            try {
                downloader.download(config.datasetUrl(), archive, null, listener);
            } catch (IOException e) {
                throw new IOException("cannot download the dataset: " + e.getMessage()
                        + ". Offline: put the archive at " + archive + " (ARTIFACTS_DIR) and run again", e);
            }
            outcome = Outcome.DOWNLOADED_AND_EXTRACTED;
        }
        listener.info("extracting " + archive.getFileName() + " into " + datasetDir);
        SafeTarExtractor.Result r;
        try {
            r = extractor.extract(archive, datasetDir, true);
        } catch (IOException e) {
            throw new IOException("cannot extract " + archive + ": " + e.getMessage()
                    + (outcome == Outcome.EXTRACTED_LOCAL_ARCHIVE
                    ? " (if the archive is damaged, delete it to download it again)" : ""), e);
        }
        listener.info("dataset ready: " + r.files() + " files in " + datasetDir);
        return new Result(outcome, datasetDir, archive, r.files());
    }

    private static boolean hasContent(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException("DATASET_DIR " + dir + " is not a folder");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    private static int countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return (int) s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(SafeTarExtractor.COMPLETE_MARKER))
                    .count();
        }
    }
}
