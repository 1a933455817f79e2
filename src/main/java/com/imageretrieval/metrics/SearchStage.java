package com.imageretrieval.metrics;

import java.util.Locale;

/** The stages one search goes through, in order; each gets its own latency histogram. */
public enum SearchStage {
    /** Reading the uploaded image's bytes from the request (multipart parsing included). */
    UPLOAD,
    /** Bytes to pixels (JPEG/PNG/... decoding, EXIF orientation). */
    DECODE,
    /** Resize, crop and normalisation into the model's input tensor. */
    PREPROCESS,
    /** The model run (batch of one). */
    INFERENCE,
    /** Cosine similarity against the index and the top-k selection. */
    SCAN;

    /** The tag value in the metrics ({@code upload}, {@code decode}, ...). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
