package com.imageretrieval.index;

import com.imageretrieval.image.ImageFormat;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Logger;

/**
 * Lists the image files of a dataset directory: recursive, sorted by relative path (deterministic), hidden files and
 * folders skipped, the extensions of {@link ImageFormat} (jpg/jpeg/png/gif/bmp/webp) in any case. Symbolic links are followed only while their
 * target stays inside the root, so a link cannot pull outside files into the index (or the static file server).
 */
public final class DatasetScanner {

    private static final Logger LOG = Logger.getLogger(DatasetScanner.class.getName());

    /**
     * One image file found.
     *
     * @param path  relative to the root, '/' separators
     * @param label first folder of the path, "" at the root
     * @param file  absolute file
     * @param size  bytes
     * @param mtime last-modified, epoch milliseconds
     */
    public record ScannedFile(String path, String label, Path file, long size, long mtime) {
    }

    private DatasetScanner() {
    }

    /** True if the file name has an accepted image extension ({@link ImageFormat#ofFileName}). */
    public static boolean isImageName(String name) {
        return ImageFormat.ofFileName(name).isPresent();
    }

    /**
     * All image files under {@code root}, sorted by relative path.
     *
     * @throws NoSuchFileException if root is not a directory
     */
    public static List<ScannedFile> scan(Path root) throws IOException {
        List<ScannedFile> out = new ArrayList<>();
        walk(root, f -> {
            out.add(f);
            return true;
        });
        out.sort(Comparator.comparing(ScannedFile::path));
        return out;
    }

    /** True if there is at least one image under root (stops at the first); false if root is missing. */
    public static boolean hasImages(Path root) {
        boolean[] found = {false};
        try {
            walk(root, f -> {
                found[0] = true;
                return false;
            });
        } catch (IOException e) {
            return false;
        }
        return found[0];
    }

    private interface Sink {
        /** @return false to stop the walk */
        boolean accept(ScannedFile f);
    }

    private static void walk(Path root, Sink sink) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a directory");
        }
        Path realRoot = root.toRealPath();
        Path absRoot = root.toAbsolutePath().normalize();
        Files.walkFileTree(absRoot, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        if (!dir.equals(absRoot) && (isHidden(dir) || !inside(dir, realRoot))) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        String name = file.getFileName().toString();
                        if (!attrs.isRegularFile() || isHidden(file) || !isImageName(name)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (Files.isSymbolicLink(file) && !inside(file, realRoot)) {
                            return FileVisitResult.CONTINUE;
                        }
                        Path rel = absRoot.relativize(file);
                        StringBuilder path = new StringBuilder();
                        for (Path part : rel) {
                            if (path.length() > 0) {
                                path.append('/');
                            }
                            path.append(part);
                        }
                        String label = rel.getNameCount() > 1 ? rel.getName(0).toString() : "";
                        ScannedFile f = new ScannedFile(path.toString(), label, file, attrs.size(),
                                attrs.lastModifiedTime().toMillis());
                        return sink.accept(f) ? FileVisitResult.CONTINUE : FileVisitResult.TERMINATE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        // a loop of links or an unreadable entry: skip it, the rest of the dataset still counts
                        LOG.warning("skipping " + file + ": " + e);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static boolean isHidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** Does the real location of p (links resolved) lie under the real root? */
    private static boolean inside(Path p, Path realRoot) throws IOException {
        // Only links need the check: the walk enters a linked folder only after its own target passed it, so a plain
        // entry below lies inside too.
        return !Files.isSymbolicLink(p) || p.toRealPath().startsWith(realRoot);
    }
}
