package com.imageretrieval.testing;

import com.imageretrieval.index.ImageRecord;
import com.imageretrieval.index.IndexMetadata;
import com.imageretrieval.index.IndexSnapshot;
import com.imageretrieval.index.VectorMatrix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Index snapshots made from given vectors (no model, no H2): builds snapshots from given vectors, as the store would deliver them (rows in path order). */
public final class TestSnapshots {

    private TestSnapshots() {
    }

    /** One image: its path (label = first folder), content hash and vector. */
    public record Item(String path, String sha256, float[] vector) {
        public String label() {
            int slash = path.indexOf('/');
            return slash < 0 ? "" : path.substring(0, slash);
        }
    }

    public static Item item(String path, float... vector) {
        return new Item(path, "sha-of-" + path, vector);
    }

    public static IndexSnapshot of(List<Item> items) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(Item::path));
        int dim = sorted.get(0).vector().length;
        List<ImageRecord> records = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Item it = sorted.get(i);
            records.add(new ImageRecord(100 + i, it.path(), it.label(), 10, 0, it.sha256(), 4, 4));
            vectors.add(it.vector());
        }
        return new IndexSnapshot(records, VectorMatrix.of(vectors, dim),
                new IndexMetadata("test", "hash", dim, "cpu", Instant.EPOCH, records.size()));
    }
}
