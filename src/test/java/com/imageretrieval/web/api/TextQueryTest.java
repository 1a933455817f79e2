package com.imageretrieval.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The q parameter of GET /api/search. */
class TextQueryTest {

    @Test
    void missingOrBlankIsMissingQuery() {
        for (String q : new String[] {null, "", "   ", "\t\n"}) {
            ApiException e = assertThrows(ApiException.class, () -> SearchResource.validText(q));
            assertEquals(400, e.status());
            assertEquals("missing_query", e.code());
        }
    }

    @Test
    void tooLongIsRefusedCountingCharactersNotUtf16Units() {
        String max = "花".repeat(SearchResource.MAX_QUERY_CHARS);
        assertEquals(max, SearchResource.validText(max));
        String emoji = "🌹".repeat(SearchResource.MAX_QUERY_CHARS); // 2000 UTF-16 units, 1000 characters
        assertEquals(emoji, SearchResource.validText(emoji));
        ApiException e = assertThrows(ApiException.class, () -> SearchResource.validText(max + "x"));
        assertEquals("query_too_long", e.code());
        assertTrue(e.getMessage().contains("1001"), e.getMessage());
    }

    @Test
    void theTextIsTrimmed() {
        assertEquals("red flowers", SearchResource.validText("  red flowers \n"));
    }
}
