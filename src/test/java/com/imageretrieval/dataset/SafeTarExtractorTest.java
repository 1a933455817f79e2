package com.imageretrieval.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.testing.TarFixtures;
import com.imageretrieval.testing.TestDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SafeTarExtractorTest {

    private Path dir;
    private Path target;
    private final SafeTarExtractor extractor = new SafeTarExtractor();

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("extract");
        target = dir.resolve("dataset");
    }

    @Test
    void extractsAGoodArchiveStrippingTheTopFolder() throws Exception {
        Path tgz = TarFixtures.flowerLikeTgz(dir.resolve("flower_photos.tgz"));

        SafeTarExtractor.Result r = extractor.extract(tgz, target, true);

        Map<String, byte[]> expected = TarFixtures.flowerLikeContent();
        assertEquals(expected.size(), r.files());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            Path p = target.resolve(e.getKey().substring("flower_photos/".length()));
            assertArrayEquals(e.getValue(), Files.readAllBytes(p), p.toString());
        }
        assertEquals(List.of("daisy", "dandelion", "roses", "sunflowers", "tulips"), subfolders(target));
        assertTrue(SafeTarExtractor.isComplete(target));
        assertTrue(Files.exists(target.resolve("LICENSE.txt")));
        assertNoLeftovers();
    }

    @Test
    void keepsTheLayoutWithoutStripping() throws Exception {
        Path tgz = TarFixtures.flowerLikeTgz(dir.resolve("f.tgz"));
        extractor.extract(tgz, target, false);
        assertTrue(Files.isRegularFile(target.resolve("flower_photos/daisy/100.jpg")));
        assertTrue(SafeTarExtractor.isComplete(target));
    }

    @Test
    void doesNotStripWhenThereAreSeveralTopEntries() throws Exception {
        Path tgz = new TarFixtures.Archive().file("a/1.jpg", "1").file("b/2.jpg", "2").writeTgz(dir.resolve("x.tgz"));
        extractor.extract(tgz, target, true);
        assertTrue(Files.isRegularFile(target.resolve("a/1.jpg")));
        assertTrue(Files.isRegularFile(target.resolve("b/2.jpg")));
    }

    @Test
    void readsPlainTarToo() throws Exception {
        Path tar = new TarFixtures.Archive().file("top/cls/1.jpg", "one").writeTar(dir.resolve("plain.tar"));
        extractor.extract(tar, target, true);
        assertEquals("one", Files.readString(target.resolve("cls/1.jpg")));
    }

    @Test
    void handlesLongNamesFromPaxHeaders() throws Exception {
        String longName = "top/" + "x".repeat(150) + "/" + "y".repeat(120) + ".jpg";
        Path tgz = new TarFixtures.Archive().file(longName, "long").writeTgz(dir.resolve("long.tgz"));
        extractor.extract(tgz, target, true);
        assertEquals("long", Files.readString(target.resolve(longName.substring("top/".length()))));
    }

    @Test
    void refusesParentTraversalHiddenInALongName() throws Exception {
        String sneaky = "top/" + "a".repeat(120) + "/../../../escaped.txt";
        Path tgz = new TarFixtures.Archive().file(sneaky, "x").writeTgz(dir.resolve("sneaky.tgz"));
        assertRefused(tgz, sneaky, "..");
    }

    @Test
    void refusesParentTraversal() throws Exception {
        Path tgz = new TarFixtures.Archive()
                .file("flower_photos/daisy/ok.jpg", "fine")
                .file("flower_photos/../../evil.txt", "escaped")
                .writeTgz(dir.resolve("dotdot.tgz"));
        assertRefused(tgz, "flower_photos/../../evil.txt", "..");
        assertFalse(Files.exists(dir.resolve("evil.txt")));
        assertFalse(Files.exists(dir.getParent().resolve("evil.txt")));
    }

    @Test
    void refusesAbsolutePaths() throws Exception {
        Path outside = dir.resolve("absolute-victim.txt");
        Path tgz = new TarFixtures.Archive().file("a/ok.jpg", "fine").file(outside.toString(), "overwritten")
                .writeTgz(dir.resolve("abs.tgz"));
        assertRefused(tgz, outside.toString(), "absolute path");
        assertFalse(Files.exists(outside));
    }

    @Test
    void refusesSymlinks() throws Exception {
        Path tgz = new TarFixtures.Archive().file("a/ok.jpg", "fine")
                .special("a/etc", TarConstants.LF_SYMLINK, "/etc").writeTgz(dir.resolve("symlink.tgz"));
        assertRefused(tgz, "a/etc", "symbolic link to '/etc'");
    }

    @Test
    void refusesASymlinkFollowedByAFileWrittenThroughIt() throws Exception {
        // The classic two-step escape: a link to outside, then a file "inside" the link.
        Path tgz = new TarFixtures.Archive().special("link", TarConstants.LF_SYMLINK, dir.toString())
                .file("link/pwned.txt", "x").writeTgz(dir.resolve("twostep.tgz"));
        assertRefused(tgz, "link", "symbolic link");
        assertFalse(Files.exists(dir.resolve("pwned.txt")));
    }

    @Test
    void refusesHardlinks() throws Exception {
        Path tgz = new TarFixtures.Archive().file("a/ok.jpg", "fine")
                .special("a/passwd", TarConstants.LF_LINK, "/etc/passwd").writeTgz(dir.resolve("hardlink.tgz"));
        assertRefused(tgz, "a/passwd", "hard link to '/etc/passwd'");
    }

    @Test
    void refusesDevicesAndFifos() throws Exception {
        Path chr = new TarFixtures.Archive().special("a/null", TarConstants.LF_CHR, null).writeTgz(dir.resolve("c.tgz"));
        assertRefused(chr, "a/null", "character device");
        Path blk = new TarFixtures.Archive().special("a/sda", TarConstants.LF_BLK, null).writeTgz(dir.resolve("b.tgz"));
        assertRefused(blk, "a/sda", "block device");
        Path fifo = new TarFixtures.Archive().special("a/pipe", TarConstants.LF_FIFO, null).writeTgz(dir.resolve("f.tgz"));
        assertRefused(fifo, "a/pipe", "FIFO");
    }

    @Test
    void refusesAHugeDeclaredSizeFromTheHeaderAlone() throws Exception {
        Path tgz = TarFixtures.hugeEntry(dir.resolve("huge.tgz"), "top/huge.bin", 3L << 30);
        UnsafeArchiveException e = assertRefused(tgz, "top/huge.bin", "per-entry limit");
        assertTrue(e.getMessage().contains(Long.toString(3L << 30)), e.getMessage());
    }

    @Test
    void limitsAreConfigurable() throws Exception {
        byte[] kb = new byte[1000];
        Path perEntry = new TarFixtures.Archive().file("t/a.bin", new byte[5000]).writeTgz(dir.resolve("p.tgz"));
        SafeTarExtractor small = new SafeTarExtractor(new SafeTarExtractor.Limits(2000, 1_000_000, 100));
        UnsafeArchiveException e1 = assertThrows(UnsafeArchiveException.class, () -> small.extract(perEntry, target, true));
        assertTrue(e1.getMessage().contains("t/a.bin"), e1.getMessage());

        Path total = new TarFixtures.Archive().file("t/1.bin", kb).file("t/2.bin", kb).file("t/3.bin", kb)
                .writeTgz(dir.resolve("t.tgz"));
        SafeTarExtractor lowTotal = new SafeTarExtractor(new SafeTarExtractor.Limits(2000, 2500, 100));
        UnsafeArchiveException e2 = assertThrows(UnsafeArchiveException.class, () -> lowTotal.extract(total, target, true));
        assertTrue(e2.getMessage().contains("t/3.bin") && e2.getMessage().contains("total"), e2.getMessage());

        SafeTarExtractor fewEntries = new SafeTarExtractor(new SafeTarExtractor.Limits(2000, 1_000_000, 2));
        UnsafeArchiveException e3 = assertThrows(UnsafeArchiveException.class, () -> fewEntries.extract(total, target, true));
        assertTrue(e3.getMessage().contains("more than 2 entries"), e3.getMessage());
        assertFalse(Files.exists(target));
        assertNoLeftovers();

        // The same archive passes under the default limits.
        extractor.extract(total, target, true);
        assertEquals(1000, Files.size(target.resolve("3.bin")));
    }

    @Test
    void aTruncatedArchiveLeavesNothing() throws Exception {
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        Path tgz = new TarFixtures.Archive().file("top/a.bin", big).file("top/b.bin", big).writeTgz(dir.resolve("t.tgz"));
        byte[] all = Files.readAllBytes(tgz);
        Path cut = dir.resolve("cut.tgz");
        Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));

        assertThrows(IOException.class, () -> extractor.extract(cut, target, true));
        assertFalse(Files.exists(target));
        assertNoLeftovers();
    }

    @Test
    void notAnArchiveIsAnError() throws Exception {
        Path junk = dir.resolve("junk.tgz");
        Files.writeString(junk, "this is not a tar file at all, just some text that is long enough. ".repeat(20));
        assertThrows(IOException.class, () -> extractor.extract(junk, target, true));
        assertFalse(Files.exists(target));
        assertNoLeftovers();
    }

    @Test
    void refusesADuplicateEntry() throws Exception {
        Path tgz = new TarFixtures.Archive().file("t/a.jpg", "1").file("t/a.jpg", "2").writeTgz(dir.resolve("d.tgz"));
        assertRefused(tgz, "t/a.jpg", "twice");
    }

    @Test
    void neverReplacesAFolderThatHasContent() throws Exception {
        Files.createDirectories(target);
        Files.writeString(target.resolve("mine.txt"), "keep me");
        Path tgz = TarFixtures.flowerLikeTgz(dir.resolve("f.tgz"));

        assertThrows(FileAlreadyExistsException.class, () -> extractor.extract(tgz, target, true));
        assertEquals("keep me", Files.readString(target.resolve("mine.txt")));
        assertNoLeftovers();
    }

    @Test
    void fillsAnEmptyTargetFolder() throws Exception {
        Files.createDirectories(target);
        extractor.extract(TarFixtures.flowerLikeTgz(dir.resolve("f.tgz")), target, true);
        assertTrue(SafeTarExtractor.isComplete(target));
    }

    @Test
    void removesStagingFoldersOfDeadExtractionsButNotOfLiveOnes() throws Exception {
        Path abandoned = dir.resolve(".dataset.extracting-dead");
        Files.createDirectories(abandoned.resolve("flower_photos/daisy"));
        Files.writeString(abandoned.resolve("flower_photos/daisy/1.jpg"), "half");
        Files.createFile(dir.resolve(".dataset.extracting-dead.lock"));
        Path noLock = dir.resolve(".dataset.extracting-older");
        Files.createDirectories(noLock);
        Path live = dir.resolve(".dataset.extracting-live");
        Files.createDirectories(live);
        Path liveLock = dir.resolve(".dataset.extracting-live.lock");
        Path unrelated = dir.resolve(".other.extracting-x");
        Files.createDirectories(unrelated);

        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(liveLock,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            ch.lock(); // held until the channel closes, as by a running extraction
            extractor.extract(TarFixtures.flowerLikeTgz(dir.resolve("f.tgz")), target, true);

            assertFalse(Files.exists(abandoned));
            assertFalse(Files.exists(dir.resolve(".dataset.extracting-dead.lock")));
            assertFalse(Files.exists(noLock));
            assertTrue(Files.exists(live), "a staging folder whose lock is held is in use");
            assertTrue(Files.exists(unrelated), "only this target's staging folders are touched");
        }
        assertTrue(SafeTarExtractor.isComplete(target));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".dataset.extracting-") && !n.contains("live")).collect(Collectors.toList()),
                    "this extraction's own staging folder and lock are gone");
        }
    }

    @Test
    void entryNamesAreCheckedSegmentBySegment() throws Exception {
        Path root = dir.resolve("root");
        assertEquals(root.resolve("a/b.jpg"), SafeTarExtractor.resolveInside(root, "./a//b.jpg"));
        for (String bad : List.of("../x", "a/../../x", "a/..", "/etc/passwd", "C:\\x", "a\\..\\x", "")) {
            assertThrows(UnsafeArchiveException.class, () -> SafeTarExtractor.resolveInside(root, bad), bad);
        }
    }

    private UnsafeArchiveException assertRefused(Path archive, String entry, String reason) throws IOException {
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
                () -> extractor.extract(archive, target, true));
        assertTrue(e.getMessage().contains("'" + entry + "'"), "names the entry: " + e.getMessage());
        assertTrue(e.getMessage().contains(reason), "says why: " + e.getMessage());
        assertFalse(Files.exists(target), "nothing at the target after a refusal");
        assertNoLeftovers();
        return e;
    }

    private void assertNoLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> staging = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".extracting-"))
                    .collect(Collectors.toList());
            assertTrue(staging.isEmpty(), "staging folders left: " + staging);
        }
    }

    private static List<String> subfolders(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.filter(Files::isDirectory).map(x -> x.getFileName().toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
