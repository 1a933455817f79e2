package com.imageretrieval.web.files;

import com.imageretrieval.image.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a request path to an image file inside the dataset folder, or to nothing. Everything doubtful is refused
 * rather than repaired: dot segments, empty segments (absolute paths), backslashes, drive letters, NUL, names
 * without an image extension, and anything whose real path (symbolic links followed) leaves the dataset.
 */
public final class DatasetFiles {

    private final Path root;

    public DatasetFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The file to serve for a path below the prefix ("daisy/1.jpg" or "/daisy/1.jpg"), if it is one. */
    public Optional<Path> resolve(String requestPath) {
        if (requestPath == null) {
            return Optional.empty();
        }
        String rel = requestPath.startsWith("/") ? requestPath.substring(1) : requestPath;
        if (rel.isEmpty() || rel.indexOf('\\') >= 0 || rel.indexOf('\0') >= 0 || rel.indexOf(':') >= 0
                || contentType(rel).isEmpty()) {
            return Optional.empty();
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.empty();
            }
        }
        try {
            Path realRoot = root.toRealPath();
            Path candidate = realRoot.resolve(rel).normalize();
            if (!candidate.startsWith(realRoot)) {
                return Optional.empty();
            }
            Path real = candidate.toRealPath();
            if (!real.startsWith(realRoot) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(real);
        } catch (IOException | InvalidPathException | SecurityException e) {
            return Optional.empty(); // missing file, missing dataset, unreadable: all the same 404
        }
    }

    /** The image content type for a file name, from its extension ({@link ImageFormat#ofFileName}). */
    public static Optional<String> contentType(String name) {
        return ImageFormat.ofFileName(name).map(ImageFormat::mediaType);
    }
}
