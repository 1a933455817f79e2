package com.imageretrieval.index.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKTest {

    record Pair(int row, float score) {
    }

    private static final Comparator<Pair> SEARCH_ORDER =
            Comparator.comparing(Pair::score, Comparator.reverseOrder()).thenComparingInt(Pair::row);

    @Test
    void keepsWhatAFullSortWouldKeepWithTiesByLowerRow() {
        Random rnd = new Random(5);
        for (int k : new int[] {1, 2, 7, 50, 300}) {
            List<Pair> all = new ArrayList<>();
            TopK a = new TopK(k);
            TopK b = new TopK(k);
            for (int r = 0; r < 200; r++) {
                float s = rnd.nextInt(20) / 20f;   // many ties
                all.add(new Pair(r, s));
                (r % 3 == 0 ? a : b).offer(r, s);
            }
            a.addAll(b);   // merging per-thread heaps gives the same answer
            all.sort(SEARCH_ORDER);
            assertEquals(all.subList(0, Math.min(k, all.size())), a.drainBestFirst(Pair::new), "k=" + k);
            assertEquals(0, a.size());
        }
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TopK(0));
    }
}
