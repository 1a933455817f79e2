package com.imageretrieval.index.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopRowsTest {

    @Test
    void keepsTheSameEntriesAsAFullSortIncludingTies() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rnd.nextInt(500);
            int k = 1 + rnd.nextInt(40);
            List<ScoredRow> all = new ArrayList<>();
            TopRows top = new TopRows(k);
            for (int r = 0; r < n; r++) {
                float score = rnd.nextInt(20) / 4f;   // few distinct values: many ties
                all.add(new ScoredRow(r, score));
                top.offer(score, r);
            }
            all.sort(TopRows::compareBestFirst);
            assertEquals(all.subList(0, Math.min(k, n)), Arrays.asList(top.sorted()), "n=" + n + " k=" + k);
        }
    }

    @Test
    void mergingPartsEqualsOneSelector() {
        TopRows a = new TopRows(3);
        TopRows b = new TopRows(3);
        a.offer(0.5f, 0);
        a.offer(0.9f, 1);
        b.offer(0.9f, 5);
        b.offer(0.1f, 6);
        b.offer(0.7f, 7);
        TopRows merged = new TopRows(3);
        merged.addAll(b);
        merged.addAll(a);
        assertEquals(List.of(new ScoredRow(1, 0.9f), new ScoredRow(5, 0.9f), new ScoredRow(7, 0.7f)),
                Arrays.asList(merged.sorted()));
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new TopRows(0));
    }
}
