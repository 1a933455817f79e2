package com.imageretrieval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AppMetricsTest {

    @Test
    void lapsChargeTheTimeSinceTheLastLapToTheirStage() throws Exception {
        SearchTimings t = new SearchTimings(System.nanoTime() - 5_000_000); // the request arrived 5 ms ago
        t.lap(SearchStage.UPLOAD);
        Thread.sleep(3);
        t.lap(SearchStage.INFERENCE);
        assertTrue(t.nanos(SearchStage.UPLOAD) >= 5_000_000, "upload: " + t.nanos(SearchStage.UPLOAD));
        assertTrue(t.nanos(SearchStage.INFERENCE) >= 3_000_000, "inference: " + t.nanos(SearchStage.INFERENCE));
        assertFalse(t.timed(SearchStage.SCAN));
        assertEquals(t.nanos(SearchStage.UPLOAD) + t.nanos(SearchStage.INFERENCE), t.totalNanos());
    }

    @Test
    void aRecordedSearchMovesTheStageHistogramsAndTheCounter() {
        try (AppMetrics m = new AppMetrics()) {
            SearchTimings t = new SearchTimings(System.nanoTime() - 25_000_000);
            for (SearchStage s : SearchStage.values()) {
                t.lap(s);
            }
            m.recordSearch(t);
            m.recordSearch(t);
            String text = m.scrape();
            assertEquals(2.0, sample(text, "imageretrieval_searches_total"), text);
            assertEquals(2.0, sample(text, "imageretrieval_search_seconds_count"), text);
            // 25 ms and more: not in the 20 ms bucket, in the 30 ms one only if it took under 5 ms to get here
            assertEquals(0.0, sample(text, "imageretrieval_search_seconds_bucket{le=\"0.02\"}"), text);
            assertEquals(2.0, sample(text, "imageretrieval_search_seconds_bucket{le=\"+Inf\"}"), text);
            assertEquals(2.0, sample(text, "imageretrieval_search_stage_seconds_count{stage=\"upload\"}"), text);
            assertTrue(sample(text, "imageretrieval_search_stage_seconds_sum{stage=\"upload\"}") >= 0.05, text);
        }
    }

    @Test
    void gaugesCountersAndTheModelInfoAreReadAtScrapeTime() {
        try (AppMetrics m = new AppMetrics()) {
            AtomicLong refused = new AtomicLong();
            AtomicLong images = new AtomicLong(7);
            m.counter("imageretrieval.search.overloaded", "refused", refused, AtomicLong::doubleValue);
            m.gauge("imageretrieval.index.images", "images", images::get);
            m.modelInfo("a.onnx", "cpu");
            refused.set(3);
            images.set(9);
            m.modelInfo("b.onnx", "cuda"); // replaces, never two series
            String text = m.scrape();
            assertEquals(3.0, sample(text, "imageretrieval_search_overloaded_total"), text);
            assertEquals(9.0, sample(text, "imageretrieval_index_images"), text);
            assertEquals(1.0, sample(text, "imageretrieval_model_info{device=\"cuda\",model=\"b.onnx\"}"), text);
            assertFalse(text.contains("a.onnx"), text);
        }
    }

    @Test
    void taggedCountersOfOneNameAreSeparateSeries() {
        try (AppMetrics m = new AppMetrics()) {
            AtomicLong wide = new AtomicLong(5);
            AtomicLong narrow = new AtomicLong(2);
            m.counter("imageretrieval.model.runs", "runs", wide, AtomicLong::doubleValue, "width", "wide");
            m.counter("imageretrieval.model.runs", "runs", narrow, AtomicLong::doubleValue, "width", "narrow");
            narrow.set(4);
            String text = m.scrape();
            assertEquals(5.0, sample(text, "imageretrieval_model_runs_total{width=\"wide\"}"), text);
            assertEquals(4.0, sample(text, "imageretrieval_model_runs_total{width=\"narrow\"}"), text);
        }
    }

    static double sample(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return fail("no sample " + series + " in:\n" + exposition);
    }
}
