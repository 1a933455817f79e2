package com.imageretrieval.features.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.features.ModelException;
import com.imageretrieval.testing.TestDualEncoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokenizer on a word-level tokenizer.json the test writes: ids 0..3 special, words from 4. */
class TextTokenizerTest {

    static final List<String> WORDS = List.of("red", "green", "blue", "flowers", "a", "photo", "of", "红色", "花");
    static final long RED = 4;
    static final long FLOWERS = 7;
    static final long RED_ZH = 11;
    static final long FLOWER_ZH = 12;

    @TempDir
    Path dir;

    private TextTokenizer open(int context, boolean paddingSection) throws Exception {
        Path file = TestDualEncoders.wordTokenizer(dir.resolve("tokenizer.json"), WORDS, paddingSection);
        return TextTokenizer.open(file, context);
    }

    @Test
    void padsToTheContextLengthWithAZeroMask() throws Exception {
        try (TextTokenizer t = open(8, true)) {
            TextTokenizer.Tokens tokens = t.encode("Red flowers");
            assertArrayEquals(new long[] {2, RED, FLOWERS, 3, 0, 0, 0, 0}, tokens.ids());
            assertArrayEquals(new long[] {1, 1, 1, 1, 0, 0, 0, 0}, tokens.attentionMask());
            assertFalse(tokens.truncated());
        }
    }

    @Test
    void padsWithIdZeroWhenTheTokenizerDefinesNoPadding() throws Exception {
        // CLIP's tokenizer.json has "padding": null; the library then pads with id 0, masked out
        try (TextTokenizer t = open(6, false)) {
            TextTokenizer.Tokens tokens = t.encode("red");
            assertArrayEquals(new long[] {2, RED, 3, 0, 0, 0}, tokens.ids());
            assertArrayEquals(new long[] {1, 1, 1, 0, 0, 0}, tokens.attentionMask());
        }
    }

    @Test
    void truncatesLongTextsAndKeepsTheEndToken() throws Exception {
        try (TextTokenizer t = open(6, true)) {
            TextTokenizer.Tokens tokens = t.encode("a photo of red flowers a photo of green flowers");
            assertArrayEquals(new long[] {2, 8, 9, 10, RED, 3}, tokens.ids());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1}, tokens.attentionMask());
            assertTrue(tokens.truncated());
        }
    }

    @Test
    void unknownWordsBecomeTheUnknownToken() throws Exception {
        try (TextTokenizer t = open(8, true)) {
            assertArrayEquals(new long[] {2, RED, 1, FLOWERS, 3, 0, 0, 0}, t.encode("red zebra flowers").ids());
            assertArrayEquals(new long[] {2, 3, 0, 0, 0, 0, 0, 0}, t.encode("").ids());
        }
    }

    @Test
    void chineseInput() throws Exception {
        try (TextTokenizer t = open(8, true)) {
            assertArrayEquals(new long[] {2, RED_ZH, FLOWER_ZH, 3, 0, 0, 0, 0}, t.encode("红色 花").ids());
            // the whitespace pre-tokenizer keeps a run of CJK characters as one word: unknown as a whole
            assertArrayEquals(new long[] {2, 1, 3, 0, 0, 0, 0, 0}, t.encode("红色的花").ids());
            assertEquals("红色", t.tokens("红色 花")[1]);
            // mixed scripts and emoji do not break anything
            assertEquals(8, t.encode("red 红色 🌹 flowers").ids().length);
        }
    }

    @Test
    void missingOrBrokenFilesNameThePath() throws Exception {
        ModelException missing = assertThrows(ModelException.class,
                () -> TextTokenizer.open(dir.resolve("nope.json"), 8));
        assertTrue(missing.getMessage().contains("nope.json") && missing.getMessage().contains("TOKENIZER_PATH"),
                missing.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"model\": 42}");
        ModelException bad = assertThrows(ModelException.class, () -> TextTokenizer.open(broken, 8));
        assertTrue(bad.getMessage().contains("broken.json"), bad.getMessage());
    }
}
