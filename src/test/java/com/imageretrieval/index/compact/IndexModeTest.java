package com.imageretrieval.index.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.ConfigException;
import org.junit.jupiter.api.Test;

class IndexModeTest {

    @Test
    void parsesTheTwoModesAndDefaultsToExact() {
        assertEquals(IndexMode.EXACT, IndexMode.parse(null));
        assertEquals(IndexMode.EXACT, IndexMode.parse(" "));
        assertEquals(IndexMode.EXACT, IndexMode.parse("exact"));
        assertEquals(IndexMode.INT8, IndexMode.parse(" INT8 "));
        assertEquals("int8", IndexMode.INT8.settingValue());
    }

    @Test
    void badValuesNameTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () -> IndexMode.parse("hnsw"));
        assertTrue(e.getMessage().startsWith("INDEX_MODE:") && e.getMessage().contains("hnsw"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> IndexMode.parseRerank("0"));
        assertTrue(e.getMessage().startsWith("INDEX_RERANK:"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> IndexMode.parseRerank("ten"));
        assertTrue(e.getMessage().startsWith("INDEX_RERANK:"), e.getMessage());
        assertEquals(10, IndexMode.parseRerank(null));
        assertEquals(4, IndexMode.parseRerank("4"));
    }

    @Test
    void candidatesAreTheMultipleOfKWithAFloor() {
        assertEquals(100, Int8Index.defaultCandidates(10));
        assertEquals(50, Int8Index.defaultCandidates(1));
        assertEquals(120, Int8Index.candidates(12, 10));
        assertEquals(50, Int8Index.candidates(3, 2));
    }
}
