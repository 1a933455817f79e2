package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.analysis.RetrievalMetrics;
import com.imageretrieval.json.JsonAssembler;
import com.imageretrieval.index.SearchFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilterParamsTest {

    @Test
    void labelAndMinSimilarityBecomeAFilterAbsentOrEmptyMeansAny() {
        assertEquals(SearchFilter.NONE, Params.filter(null, null));
        assertEquals(SearchFilter.NONE, Params.filter("", " "));
        assertEquals(new SearchFilter("roses", null), Params.filter("roses", null));
        assertEquals(new SearchFilter(null, 0.5f), Params.filter(null, " 0.5 "));
        assertEquals(new SearchFilter("a b", -1f), Params.filter("a b", "-1"));
        assertEquals(new SearchFilter(null, 1f), Params.filter(null, "1"));
        // the float of the decimal, as the search compares it with the float similarities it reports
        assertEquals(0.93312466f, Params.filter(null, "0.93312466").minSimilarity());
    }

    @Test
    void aBadMinSimilarityIsA400NamingIt() {
        for (String bad : new String[] {"1.01", "-2", "x", "NaN", "Infinity", "0,5"}) {
            ApiException e = assertThrows(ApiException.class, () -> Params.filter("daisy", bad), bad);
            assertEquals(400, e.status());
            assertEquals("bad_min_similarity", e.code());
            assertTrue(e.getMessage().startsWith("minSimilarity must be a number from -1"), e.getMessage());
        }
    }

    @Test
    void thresholdsWithinBoundsOrA400() {
        assertEquals(0.98, Params.doubleIn("threshold", ErrorCode.BAD_THRESHOLD, null, 0.98, -1, 1));
        assertEquals(0.5, Params.doubleIn("threshold", ErrorCode.BAD_THRESHOLD, "0.5", 0.98, -1, 1));
        for (String bad : List.of("1.5", "-1.0001", "high", "NaN")) {
            ApiException e = assertThrows(ApiException.class,
                    () -> Params.doubleIn("threshold", ErrorCode.BAD_THRESHOLD, bad, 0.98, -1, 1));
            assertEquals("bad_threshold", e.code());
        }
    }

    @Test
    void evaluationFiguresAreKeyedLikeTheIssueSaysInOrder() {
        Map<String, Double> f = JsonAssembler.figures(new RetrievalMetrics(0.9, 0.8, 0.7, 0.6, 10));
        assertEquals(List.of("p@1", "p@5", "p@10", "map"), List.copyOf(f.keySet()));
        assertEquals(List.of(0.9, 0.8, 0.7, 0.6), List.copyOf(f.values()));
    }
}
