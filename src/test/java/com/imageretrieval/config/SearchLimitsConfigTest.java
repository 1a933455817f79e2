package com.imageretrieval.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The overload settings of issue 5: defaults, explicit values, and bad values named in the error. */
class SearchLimitsConfigTest {

    @Test
    void defaultsFollowTheMachine() {
        AppConfig c = AppConfig.of(Map.of());
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors()), c.maxConcurrentSearches());
        assertEquals(16, c.maxQueuedSearches());
        assertEquals(10_000, c.searchQueueTimeoutMs());
        assertEquals("16", c.describe().get("MAX_QUEUED_SEARCHES"));
    }

    @Test
    void explicitValuesAreUsed() {
        AppConfig c = AppConfig.of(Map.of("MAX_CONCURRENT_SEARCHES", "3", "MAX_QUEUED_SEARCHES", "0",
                "SEARCH_QUEUE_TIMEOUT_MS", "250"));
        assertEquals(3, c.maxConcurrentSearches());
        assertEquals(0, c.maxQueuedSearches());
        assertEquals(250, c.searchQueueTimeoutMs());
    }

    @Test
    void badValuesNameTheVariable() {
        for (Map<String, String> bad : java.util.List.of(Map.of("MAX_CONCURRENT_SEARCHES", "0"),
                Map.of("MAX_QUEUED_SEARCHES", "-1"), Map.of("SEARCH_QUEUE_TIMEOUT_MS", "soon"))) {
            ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.of(bad));
            String name = bad.keySet().iterator().next();
            assertTrue(e.getMessage().startsWith(name), e.getMessage());
        }
    }
}
