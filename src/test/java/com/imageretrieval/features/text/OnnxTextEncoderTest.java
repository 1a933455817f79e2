package com.imageretrieval.features.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.features.ModelException;
import com.imageretrieval.testing.TestDualEncoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ONNX text encoder on generated models: inputs, context length, output choice, masking, normalisation. */
class OnnxTextEncoderTest {

    static final List<String> WORDS = List.of("red", "green", "flowers");
    static final float[] RED = {3, 0, 0, 0};
    static final float[] GREEN = {0, 2, 0, 0};
    static final float[] PAD = {0, 0, 5, 0};

    @TempDir
    Path dir;

    private OnnxTextEncoder open(TestDualEncoders.Shape shape, float[] pad) throws Exception {
        Path tokenizer = TestDualEncoders.wordTokenizer(dir.resolve("tokenizer.json"), WORDS, true);
        Path model = TestDualEncoders.textModel(dir.resolve("text.onnx"), WORDS, Map.of("red", RED, "green", GREEN),
                pad, shape);
        return OnnxTextEncoder.open(model, tokenizer);
    }

    @Test
    void clipLikeExportUsesTheMaskAndTheDefaultContext() throws Exception {
        try (OnnxTextEncoder e = open(TestDualEncoders.Shape.clipLike(), PAD)) {
            assertEquals(4, e.dimension());
            assertEquals(OnnxTextEncoder.DEFAULT_CONTEXT, e.tokenizer().contextLength());
            // 74 pad tokens point along axis 2; the mask keeps them out entirely
            assertArrayEquals(new float[] {1, 0, 0, 0}, e.embed("red"), 1e-6f);
            assertArrayEquals(new float[] {1, 0, 0, 0}, e.embed("Red flowers"), 1e-6f);
            float s = (float) (1 / Math.sqrt(2));
            assertArrayEquals(new float[] {s, s, 0, 0}, e.embed("red red green green green"), 1e-6f); // (6, 6, 0, 0)
        }
    }

    @Test
    void fixedLengthComesFromTheModelAndAnyRank2OutputServes() throws Exception {
        TestDualEncoders.Shape shape = new TestDualEncoders.Shape(16, false, "sentence_embedding");
        try (OnnxTextEncoder e = open(shape, new float[4])) {
            assertEquals(16, e.tokenizer().contextLength());
            assertArrayEquals(new float[] {0, 1, 0, 0}, e.embed("green"), 1e-6f);
            // longer than 16 tokens: truncated, still answers
            assertEquals(4, e.embed("red ".repeat(40)).length);
        }
    }

    @Test
    void unusableModelsAreRefusedWithTheReason() throws Exception {
        Path tokenizer = TestDualEncoders.wordTokenizer(dir.resolve("tokenizer.json"), WORDS, true);
        ModelException missing = assertThrows(ModelException.class,
                () -> OnnxTextEncoder.open(dir.resolve("none.onnx"), tokenizer));
        assertTrue(missing.getMessage().contains("TEXT_MODEL_PATH"), missing.getMessage());
        Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {1, 2, 3});
        ModelException bad = assertThrows(ModelException.class, () -> OnnxTextEncoder.open(junk, tokenizer));
        assertTrue(bad.getMessage().contains("junk.onnx"), bad.getMessage());
        // an image model is no text encoder
        Path image = com.imageretrieval.testing.TestModels.colourModel(dir.resolve("image.onnx"));
        ModelException wrong = assertThrows(ModelException.class, () -> OnnxTextEncoder.open(image, tokenizer));
        assertTrue(wrong.getMessage().contains("int64"), wrong.getMessage());
    }
}
