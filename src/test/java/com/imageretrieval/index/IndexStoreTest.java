package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexStoreTest {

    @TempDir
    Path artifacts;

    private static final IndexMetadata META =
            new IndexMetadata("m.onnx", "hash-1", 3, "cpu", Instant.parse("2026-01-02T03:04:05.678Z"), 2);

    private static void writeTwo(IndexStore store) throws IndexStoreException {
        try (IndexStore.Writer w = store.beginWrite()) {
            w.insert(new ImageRecord(0, "tulips/b.jpg", "tulips", 200, 2000, "bb", 30, 40),
                    new float[] {0, 1, 0}, "hash-1");
            w.insert(new ImageRecord(0, "a.png", "", 100, 1000, "aa", 10, 20), new float[] {0.6f, 0, 0.8f}, "hash-1");
            w.commit(META);
        }
    }

    @Test
    void roundTripKeepsRecordsVectorsAndMetadataOrderedByPath() throws Exception {
        assertEquals(artifacts.resolve("index").resolve("index.mv.db"), IndexStore.databaseFile(artifacts));
        try (IndexStore store = IndexStore.open(artifacts)) {
            assertTrue(store.load().isEmpty(), "a new database has no index yet");
            writeTwo(store);
        }
        assertTrue(Files.isRegularFile(IndexStore.databaseFile(artifacts)));
        try (IndexStore store = IndexStore.open(artifacts)) {
            IndexSnapshot s = store.load().orElseThrow();
            assertEquals(2, s.size());
            assertEquals(3, s.dimension());
            assertEquals(META, s.metadata());
            ImageRecord a = s.images().get(0);
            assertEquals("a.png", a.path());
            assertEquals("", a.label());
            assertEquals(List.of(100L, 1000L, 10, 20), List.of(a.size(), a.mtime(), a.width(), a.height()));
            assertEquals("tulips/b.jpg", s.images().get(1).path());
            assertArrayEquals(new float[] {0.6f, 0, 0.8f}, s.vector(0));
            assertArrayEquals(new float[] {0, 1, 0}, s.vector(1));
            assertEquals(Map.of("", 1, "tulips", 1), s.classCounts());
            assertEquals(a, s.byId(a.id()).orElseThrow());
            assertEquals(a, s.byPath("a.png").orElseThrow());
            assertEquals("tulips/b.jpg", s.search(new float[] {0, 1, 0}, 1).get(0).image().path());
            assertEquals(1, s.search(new float[] {0, 1, 0}, 1).get(0).rank());
        }
    }

    @Test
    void vectorsAreStoredAsFloat32LittleEndianBlobs() throws Exception {
        try (IndexStore store = IndexStore.open(artifacts)) {
            writeTwo(store);
        }
        String base = IndexStore.databaseFile(artifacts).toString().replace(".mv.db", "");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT vector, model_hash FROM images WHERE path = 'a.png'")) {
            assertTrue(rs.next());
            ByteBuffer b = ByteBuffer.wrap(rs.getBytes(1)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(12, b.remaining());
            assertEquals(0.6f, b.getFloat());
            assertEquals(0f, b.getFloat());
            assertEquals(0.8f, b.getFloat());
            assertEquals("hash-1", rs.getString(2));
        }
    }

    @Test
    void closingAWriterWithoutCommitRollsEverythingBack() throws Exception {
        try (IndexStore store = IndexStore.open(artifacts)) {
            writeTwo(store);
            IndexSnapshot before = store.load().orElseThrow();
            try (IndexStore.Writer w = store.beginWrite()) {
                w.delete(before.images().get(0).id());
                w.insert(new ImageRecord(0, "c.png", "", 1, 1, "cc", 1, 1), new float[] {1, 0, 0}, "hash-2");
                w.touch(before.images().get(1).id(), 999, 999);
                w.flush();
            }
            IndexSnapshot after = store.load().orElseThrow();
            assertEquals(before.images(), after.images());
            assertEquals(before.metadata(), after.metadata());
        }
    }

    @Test
    void aCorruptFileIsReportedWithItsPath() throws Exception {
        Path file = IndexStore.databaseFile(artifacts);
        Files.createDirectories(file.getParent());
        byte[] junk = new byte[64 * 1024];
        new java.util.Random(1).nextBytes(junk);
        Files.write(file, junk);
        IndexStoreException e = assertThrows(IndexStoreException.class, () -> IndexStore.open(artifacts).load());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.inUse());
    }

    @Test
    void aTruncatedFileGivesAClearErrorOrAnEarlierConsistentState() throws Exception {
        IndexSnapshot written;
        try (IndexStore store = IndexStore.open(artifacts)) {
            writeTwo(store);
            written = store.load().orElseThrow();
        }
        Path file = IndexStore.databaseFile(artifacts);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 3));
        // H2 either refuses the file or falls back to the last complete chunk it finds: both are fine, a half
        // index or an exception of another type is not
        try (IndexStore s = IndexStore.open(artifacts)) {
            java.util.Optional<IndexSnapshot> loaded = s.load();
            loaded.ifPresent(snap -> {
                assertEquals(written.images(), snap.images());
                assertEquals(written.metadata(), snap.metadata());
            });
        } catch (IndexStoreException e) {
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void moveAsideRenamesTheFile() throws Exception {
        try (IndexStore store = IndexStore.open(artifacts)) {
            writeTwo(store);
        }
        Path aside = IndexStore.moveAside(artifacts);
        assertFalse(Files.exists(IndexStore.databaseFile(artifacts)));
        assertTrue(aside.getFileName().toString().startsWith("index.mv.db.corrupt-"), aside.toString());
        assertTrue(Files.isRegularFile(aside));
    }
}
