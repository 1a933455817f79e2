package com.imageretrieval.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MODEL_PREPROCESSING, TEXT_MODEL_PATH and TOKENIZER_PATH. */
class TextSearchConfigTest {

    @Test
    void defaultsKeepTextSearchOffAndTheImageNetTransform() {
        AppConfig c = AppConfig.of(Map.of());
        assertEquals(AppConfig.Preprocessing.IMAGENET, c.preprocessing());
        assertNull(c.textModelPath());
        assertNull(c.tokenizerPath());
        assertTrue(c.describe().get("TEXT_MODEL_PATH").contains("text search off"));
    }

    @Test
    void readsTheProfileAndBothPaths() {
        AppConfig c = AppConfig.of(Map.of("MODEL_PREPROCESSING", " CLIP ", "TEXT_MODEL_PATH", "m/text.onnx",
                "TOKENIZER_PATH", "m/tokenizer.json"));
        assertEquals(AppConfig.Preprocessing.CLIP, c.preprocessing());
        assertEquals(Path.of("m/text.onnx").toAbsolutePath().normalize(), c.textModelPath());
        assertEquals(Path.of("m/tokenizer.json").toAbsolutePath().normalize(), c.tokenizerPath());
        assertEquals("clip", c.describe().get("MODEL_PREPROCESSING"));
    }

    @Test
    void badValuesNameTheVariable() {
        ConfigException profile = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("MODEL_PREPROCESSING", "siglip")));
        assertTrue(profile.getMessage().startsWith("MODEL_PREPROCESSING"), profile.getMessage());
        ConfigException half = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("TEXT_MODEL_PATH", "text.onnx")));
        assertTrue(half.getMessage().contains("TOKENIZER_PATH"), half.getMessage());
        ConfigException other = assertThrows(ConfigException.class,
                () -> AppConfig.of(Map.of("TOKENIZER_PATH", "tokenizer.json", "TEXT_MODEL_PATH", " ")));
        assertTrue(other.getMessage().contains("TEXT_MODEL_PATH"), other.getMessage());
    }
}
