package com.imageretrieval.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INDEX_BACKEND and the OPENSEARCH_* settings: defaults, parsing, and a clear error naming the variable. */
class OpenSearchConfigTest {

    private static Map<String, String> opensearch(String... more) {
        Map<String, String> m = new HashMap<>();
        m.put("INDEX_BACKEND", "opensearch");
        m.put("OPENSEARCH_URL", "http://os1:9200, https://os2:9200/");
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private static void fails(String variable, Map<String, String> settings) {
        ConfigException e = assertThrows(ConfigException.class, () -> AppConfig.of(settings));
        assertTrue(e.getMessage().startsWith(variable + ":"), e.getMessage());
    }

    @Test
    void h2IsTheDefaultAndIgnoresTheOpenSearchSettings() {
        AppConfig c = AppConfig.of(Map.of("OPENSEARCH_SHARDS", "not a number"));
        assertEquals(AppConfig.IndexBackend.H2, c.indexBackend());
        assertNull(c.openSearch());
        assertEquals("h2", c.describe().get("INDEX_BACKEND"));
    }

    @Test
    void openSearchDefaultsAndUrls() {
        OpenSearchSettings s = AppConfig.of(opensearch()).openSearch();
        assertEquals(List.of(URI.create("http://os1:9200"), URI.create("https://os2:9200")), s.urls());
        assertEquals("image-retrieval", s.index());
        assertEquals(1, s.shards());
        assertEquals(1, s.replicas());
        assertEquals(16, s.hnswM());
        assertEquals(128, s.efConstruction());
        assertEquals(100, s.efSearch());
        assertEquals(60, s.leaseSeconds());
        assertNull(s.username());
        OpenSearchSettings custom = AppConfig.of(opensearch("OPENSEARCH_INDEX", "photos", "OPENSEARCH_SHARDS", "3",
                "OPENSEARCH_REPLICAS", "0", "OPENSEARCH_USERNAME", "app", "OPENSEARCH_PASSWORD", "secret",
                "OPENSEARCH_HNSW_M", "32", "OPENSEARCH_EF_SEARCH", "200")).openSearch();
        assertEquals("photos", custom.index());
        assertEquals(3, custom.shards());
        assertEquals(0, custom.replicas());
        assertEquals("app", custom.username());
        assertEquals(32, custom.hnswM());
        assertEquals(200, custom.efSearch());
        assertTrue(!custom.toString().contains("secret"), "no password in the start-up log: " + custom);
    }

    @Test
    void badSettingsNameTheVariable() {
        fails("INDEX_BACKEND", Map.of("INDEX_BACKEND", "elastic"));
        fails("OPENSEARCH_URL", Map.of("INDEX_BACKEND", "opensearch"));
        fails("OPENSEARCH_URL", opensearch("OPENSEARCH_URL", "ftp://x"));
        fails("OPENSEARCH_URL", opensearch("OPENSEARCH_URL", "http://user:pw@x:9200"));
        fails("OPENSEARCH_URL", opensearch("OPENSEARCH_URL", " , "));
        fails("OPENSEARCH_INDEX", opensearch("OPENSEARCH_INDEX", "Upper"));
        fails("OPENSEARCH_INDEX", opensearch("OPENSEARCH_INDEX", "_hidden"));
        fails("OPENSEARCH_SHARDS", opensearch("OPENSEARCH_SHARDS", "0"));
        fails("OPENSEARCH_REPLICAS", opensearch("OPENSEARCH_REPLICAS", "-1"));
        fails("OPENSEARCH_PASSWORD", opensearch("OPENSEARCH_USERNAME", "app"));
        fails("OPENSEARCH_USERNAME", opensearch("OPENSEARCH_PASSWORD", "pw"));
        fails("OPENSEARCH_TRUSTSTORE", opensearch("OPENSEARCH_TRUSTSTORE", "/no/such/truststore.p12"));
        fails("OPENSEARCH_HNSW_M", opensearch("OPENSEARCH_HNSW_M", "1"));
        fails("OPENSEARCH_LEASE_SECONDS", opensearch("OPENSEARCH_LEASE_SECONDS", "1"));
    }
}
