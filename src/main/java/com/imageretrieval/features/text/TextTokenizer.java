package com.imageretrieval.features.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.imageretrieval.features.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face {@code tokenizer.json} (any model type: CLIP's byte-level BPE, WordPiece, word level...) read by the
 * Rust tokenizers library through DJL, set to give exactly {@code contextLength} ids per text: special tokens added
 * (CLIP: start and end of text), longer texts truncated before the end token is appended, shorter ones padded with
 * the tokenizer's pad token (id 0 when tokenizer.json defines none) and a zero attention mask there.
 *
 * <p>Thread-safe (the native tokenizer is immutable once configured).
 */
public final class TextTokenizer implements AutoCloseable {

    /** Ids and attention mask of one text, both of length {@code contextLength}. */
    public record Tokens(long[] ids, long[] attentionMask, boolean truncated) {
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int contextLength) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
    }

    /**
     * @throws ModelException naming the file when it is missing or not a tokenizer.json, or when the native library
     *                        cannot be loaded
     */
    public static TextTokenizer open(Path tokenizerJson, int contextLength) throws ModelException {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length " + contextLength + " < 2");
        }
        Path file = tokenizerJson.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new ModelException("tokenizer file not found: " + file + " (TOKENIZER_PATH: the tokenizer.json"
                    + " published with the text encoder)");
        }
        TokenizerNative.ensureLoaded();
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optPadToMaxLength()
                    .optMaxLength(contextLength)
                    .build();
            return new TextTokenizer(t, contextLength);
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot read the tokenizer " + file + " (TOKENIZER_PATH): " + e.getMessage(), e);
        }
    }

    public int contextLength() {
        return contextLength;
    }

    /** The ids and mask of {@code text}, exactly {@link #contextLength()} long. */
    public Tokens encode(String text) {
        Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        long[] mask = e.getAttentionMask();
        if (ids.length != contextLength || mask.length != contextLength) {
            // the library pads and truncates to max_length; anything else is a tokenizer.json it could not apply
            throw new IllegalStateException("the tokenizer gave " + ids.length + " ids for a context of "
                    + contextLength);
        }
        return new Tokens(ids, mask, e.exceedMaxLength());
    }

    /** The token strings of {@code text} as the model sees them (for tests and diagnostics). */
    public String[] tokens(String text) {
        return tokenizer.encode(text).getTokens();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
