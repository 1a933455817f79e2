package com.imageretrieval.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The h2 backend's gallery: pages in path order, by label, totals of the label. */
class SnapshotGalleryTest {

    private static IndexSnapshot snapshot() {
        List<ImageRecord> records = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        String[] paths = {"a/1.png", "a/2.png", "a/3.png", "b/1.png", "b/2.png"};
        for (int i = 0; i < paths.length; i++) {
            records.add(new ImageRecord(i + 1, paths[i], paths[i].substring(0, 1), 1, 1, "s" + i, 1, 1));
            vectors.add(new float[] {1, 0});
        }
        return new IndexSnapshot(records, VectorMatrix.of(vectors, 2),
                new IndexMetadata("m", "h", 2, "cpu", Instant.EPOCH, records.size()));
    }

    private static List<String> paths(GalleryPage page) {
        return page.images().stream().map(ImageRecord::path).toList();
    }

    @Test
    void pagesAllImagesOrOneLabel() {
        IndexSnapshot s = snapshot();
        GalleryPage all = s.gallery(null, 1, 2);
        assertEquals(List.of("a/2.png", "a/3.png"), paths(all));
        assertEquals(5, all.total());
        GalleryPage b = s.gallery("b", 1, 10);
        assertEquals(List.of("b/2.png"), paths(b));
        assertEquals(2, b.total());
        assertEquals(0, s.gallery("none", 0, 10).total());
        assertEquals(List.of(), paths(s.gallery("", 5, 10)), "past the end: empty page");
        assertEquals(List.of(), paths(s.gallery("a", Integer.MAX_VALUE, Integer.MAX_VALUE)));
        assertThrows(IllegalArgumentException.class, () -> s.gallery(null, -1, 1));
    }
}
