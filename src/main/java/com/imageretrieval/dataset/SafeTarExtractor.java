package com.imageretrieval.dataset;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a tar or tar.gz archive that nobody vouches for. Only regular files and folders are written; every entry
 * that could reach outside the target ({@code ..}, absolute names), every link, device, FIFO or other special entry,
 * and absurd declared sizes are refused with a message that names the entry.
 *
 * <p>The archive is unpacked into a fresh hidden sibling folder of the target. Only when every entry has been written
 * is a completion marker added and the folder renamed into place in one atomic step, so a refused, corrupt or
 * interrupted archive never leaves a folder that looks like a complete dataset; on failure the sibling is deleted.
 */
public final class SafeTarExtractor {

    /** File written into the target after a complete extraction; its presence means "complete". */
    public static final String COMPLETE_MARKER = ".extract-complete";

    /** Staging folders are named {@code .<target name>.extracting-<uuid>}, next to the target. */
    static final String STAGING_INFIX = ".extracting-";

    /** Caps on what one archive may declare. */
    public record Limits(long maxEntryBytes, long maxTotalBytes, int maxEntries) {
        public static final Limits DEFAULT = new Limits(2L << 30, 20L << 30, 200_000);

        public Limits {
            if (maxEntryBytes < 0 || maxTotalBytes < 0 || maxEntries < 1) {
                throw new IllegalArgumentException("limits must be positive");
            }
        }
    }

    /** What was extracted. */
    public record Result(Path target, int files, int directories, long bytes) {
    }

    private final Limits limits;

    public SafeTarExtractor() {
        this(Limits.DEFAULT);
    }

    public SafeTarExtractor(Limits limits) {
        this.limits = Objects.requireNonNull(limits);
    }

    /** True if {@code dir} holds the marker of a complete extraction. */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(COMPLETE_MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Extracts {@code archive} so that its content ends up in {@code target}.
     *
     * @param stripSingleTopFolder when the archive's entries all sit in one top-level folder (flower_photos.tgz has
     *                             {@code flower_photos/}), that folder's content becomes the target's content
     * @throws UnsafeArchiveException for a refused entry; IOException for a corrupt archive or a disk error
     * @throws FileAlreadyExistsException if the target exists and is not an empty folder (nothing is replaced)
     */
    public Result extract(Path archive, Path target, boolean stripSingleTopFolder) throws IOException {
        Path absTarget = target.toAbsolutePath().normalize();
        Path parent = absTarget.getParent();
        if (parent == null) {
            throw new IOException("cannot extract into the file system root");
        }
        if (Files.exists(absTarget, LinkOption.NOFOLLOW_LINKS) && !isEmptyDirectory(absTarget)) {
            throw new FileAlreadyExistsException(absTarget.toString(), null,
                    "exists and is not an empty folder; move it away first");
        }
        Files.createDirectories(parent);
        String prefix = "." + absTarget.getFileName() + STAGING_INFIX;
        removeAbandonedStaging(parent, prefix);
        Path staging = parent.resolve(prefix + UUID.randomUUID());
        // The lock, held while this extraction runs, tells a later run which staging folders were abandoned by a
        // process that died; the operating system releases it whatever way the process ends.
        Path lockFile = lockFileOf(staging);
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            lockChannel.lock(); // released when the channel closes
            Files.createDirectory(staging);
            return extractInto(archive, staging, absTarget, stripSingleTopFolder);
        } finally {
            Files.deleteIfExists(lockFile);
        }
    }

    private Result extractInto(Path archive, Path staging, Path absTarget, boolean stripSingleTopFolder)
            throws IOException {
        boolean done = false;
        try {
            Counts counts = unpack(archive, staging);
            Path content = staging;
            if (stripSingleTopFolder) {
                content = singleTopFolder(staging);
            }
            Files.writeString(content.resolve(COMPLETE_MARKER),
                    "extracted from " + archive.getFileName() + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            if (Files.exists(absTarget, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(absTarget); // an empty folder (checked above); rename cannot replace it portably
            }
            moveAtomically(content, absTarget);
            done = true;
            int dirs = counts.directories - (content.equals(staging) ? 0 : 1);
            return new Result(absTarget, counts.files, Math.max(0, dirs), counts.bytes);
        } catch (IOException | RuntimeException e) {
            try {
                deleteTree(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        } finally {
            if (done) {
                deleteTree(staging); // after a strip it still holds the emptied top folder
            }
        }
    }

    private static Path lockFileOf(Path staging) {
        return staging.resolveSibling(staging.getFileName() + ".lock");
    }

    /**
     * Deletes staging folders (and their lock files) left by extractions whose process died: those whose lock nobody
     * holds. Best effort: a folder that cannot be removed now is tried again next time.
     */
    static void removeAbandonedStaging(Path parent, String prefix) {
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent,
                p -> p.getFileName().toString().startsWith(prefix))) {
            stream.forEach(candidates::add);
        } catch (IOException e) {
            return;
        }
        for (Path p : candidates) {
            String name = p.getFileName().toString();
            Path dir = name.endsWith(".lock") ? p.resolveSibling(name.substring(0, name.length() - 5)) : p;
            Path lock = lockFileOf(dir);
            try {
                if (!isLockHeld(lock)) {
                    deleteTree(dir);
                    Files.deleteIfExists(lock);
                }
            } catch (IOException | RuntimeException e) {
                // best effort, see above
            }
        }
    }

    private static boolean isLockHeld(Path lock) throws IOException {
        if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) {
                return true; // another process holds it
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this process holds it: an extraction running on another thread
        }
    }

    private static final class Counts {
        int entries;
        int files;
        int directories;
        long declaredBytes;
        long bytes;
    }

    private Counts unpack(Path archive, Path staging) throws IOException {
        Counts counts = new Counts();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(raw))) {
            byte[] buffer = new byte[1 << 16];
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                counts.entries++;
                if (counts.entries > limits.maxEntries()) {
                    throw new UnsafeArchiveException(archive.getFileName() + ": more than " + limits.maxEntries()
                            + " entries (limit); refused at '" + name + "'");
                }
                Path dest = resolveInside(staging, name);
                if (isDirectory(entry)) {
                    if (!dest.equals(staging)) {
                        Files.createDirectories(dest);
                        counts.directories++;
                    }
                    continue;
                }
                if (!isRegularFile(entry)) {
                    throw new UnsafeArchiveException("refused entry '" + name + "': " + describeType(entry)
                            + " (only regular files and folders are extracted)");
                }
                long size = entry.getSize();
                if (size < 0 || size > limits.maxEntryBytes()) {
                    throw new UnsafeArchiveException("refused entry '" + name + "': declared size " + size
                            + " bytes is over the per-entry limit of " + limits.maxEntryBytes() + " bytes");
                }
                counts.declaredBytes += size;
                if (counts.declaredBytes > limits.maxTotalBytes()) {
                    throw new UnsafeArchiveException("refused entry '" + name + "': the archive's declared total "
                            + counts.declaredBytes + " bytes is over the limit of " + limits.maxTotalBytes() + " bytes");
                }
                if (dest.equals(staging)) {
                    throw new UnsafeArchiveException("refused entry '" + name + "': a file without a name");
                }
                Files.createDirectories(dest.getParent());
                long written = 0;
                // CREATE_NEW: a second entry of the same name is a malformed (or crafted) archive, not an update.
                try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    for (int n; (n = tar.read(buffer)) > 0; ) {
                        written += n;
                        if (written > size) { // the stream is bounded by the header; this is a second guard
                            throw new UnsafeArchiveException("refused entry '" + name + "': more data than declared");
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (FileAlreadyExistsException e) {
                    throw new UnsafeArchiveException("refused entry '" + name + "': appears twice in the archive");
                }
                if (written != size) {
                    throw new IOException(archive.getFileName() + " is truncated: entry '" + name + "' has "
                            + written + " of " + size + " bytes");
                }
                if (entry.getModTime() != null) {
                    Files.setLastModifiedTime(dest, java.nio.file.attribute.FileTime.from(entry.getModTime().toInstant()));
                }
                counts.files++;
                counts.bytes += written;
            }
        }
        if (counts.entries == 0) {
            // The tar reader sees end-of-archive in anything that is not a tar header (a zip, an HTML error page
            // saved under the archive's name): an empty result must not become a "complete" empty dataset.
            throw new IOException(archive.getFileName() + " holds no entries: not a tar or tar.gz archive (a zip, "
                    + "or an empty archive?)");
        }
        return counts;
    }

    /** Gzip is recognised by its magic bytes, not the file name: .tgz, .tar.gz and plain .tar all work. */
    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return GzipCompressorInputStream.builder().setInputStream(in).setDecompressConcatenated(true).get();
        }
        return in;
    }

    /**
     * Maps an entry name to a path inside {@code root}, refusing anything that is absolute or climbs out. Checked on
     * the name's segments (not only after normalising) so that {@code a/../../x} and {@code C:\x} are caught too.
     */
    static Path resolveInside(Path root, String name) throws UnsafeArchiveException {
        if (name == null || name.isEmpty()) {
            throw new UnsafeArchiveException("refused an entry with an empty name");
        }
        if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw new UnsafeArchiveException("refused entry '" + printable(name) + "': NUL or backslash in the name");
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new UnsafeArchiveException("refused entry '" + name + "': absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                throw new UnsafeArchiveException("refused entry '" + name + "': '..' would leave the target folder");
            }
            parts.add(segment);
        }
        Path resolved = root;
        for (String part : parts) {
            resolved = resolved.resolve(part);
        }
        resolved = resolved.normalize();
        if (!resolved.startsWith(root)) {
            throw new UnsafeArchiveException("refused entry '" + name + "': outside the target folder");
        }
        return resolved;
    }

    private static boolean isDirectory(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        if (flag == TarConstants.LF_DIR) {
            return true;
        }
        // Pre-POSIX archives mark folders only by the trailing slash.
        return (flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM) && e.getName().endsWith("/");
    }

    private static boolean isRegularFile(TarArchiveEntry e) {
        byte flag = e.getLinkFlag();
        boolean plain = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG;
        return plain && !e.isSparse() && !e.getName().endsWith("/");
    }

    private static String describeType(TarArchiveEntry e) {
        if (e.isSymbolicLink()) {
            return "symbolic link to '" + e.getLinkName() + "'";
        }
        if (e.isLink()) {
            return "hard link to '" + e.getLinkName() + "'";
        }
        if (e.isCharacterDevice()) {
            return "character device";
        }
        if (e.isBlockDevice()) {
            return "block device";
        }
        if (e.isFIFO()) {
            return "FIFO";
        }
        if (e.isSparse()) {
            return "sparse file";
        }
        return "entry of type '" + printable(String.valueOf((char) e.getLinkFlag())) + "'";
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    private static Path singleTopFolder(Path staging) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(staging)) {
            stream.forEach(children::add);
        }
        if (children.size() == 1 && Files.isDirectory(children.get(0), LinkOption.NOFOLLOW_LINKS)) {
            return children.get(0);
        }
        return staging;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically (different file systems?)", e);
        } catch (DirectoryNotEmptyException | FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(to.toString(), null, "appeared while extracting; nothing replaced");
        }
    }

    /** Deletes a folder tree without following links (the extractor never creates any, but be strict anyway). */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
